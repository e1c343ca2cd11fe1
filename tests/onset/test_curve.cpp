// Curve validation and smoothing on uneven grids.
#include "onset/curve.h"
#include "onset/smoothing.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace chrysalis::onset;

namespace {
const double kNaN = std::numeric_limits<double>::quiet_NaN();
}

TEST(OnsetCurve, RejectsStepsThatDoNotIncrease) {
  try {
    Curve({0, 1000, 1000}, {0.1, 0.2, 0.3});
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("step 1000 (index 2) follows step 1000"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(Curve({5, 3}, {0.0, 0.0}), std::invalid_argument);
}

TEST(OnsetCurve, RejectsSizeMismatchAndInfinity) {
  EXPECT_THROW(Curve({0, 1}, {0.0}), std::invalid_argument);
  EXPECT_THROW(Curve({0, 1}, {0.0, std::numeric_limits<double>::infinity()}),
               std::invalid_argument);
}

TEST(OnsetCurve, DropsMissingValues) {
  Curve c({0, 10, 20, 30}, {1.0, kNaN, 3.0, kNaN});
  EXPECT_EQ(c.presentIndices(), (std::vector<size_t>{0, 2}));
  Curve present = c.withoutMissing();
  EXPECT_EQ(present.steps(), (std::vector<int64_t>{0, 20}));
  EXPECT_EQ(present.values(), (std::vector<double>{1.0, 3.0}));
  EXPECT_EQ(c.negated().values()[2], -3.0);
}

TEST(OnsetSmoothing, KeepsAConstantExactlyEvenAtTheEdges) {
  // Renormalised weights: no shrinkage toward zero at the ends of the run.
  Curve c({0, 1000, 2000, 15000, 20000, 100000}, {0.4, 0.4, 0.4, 0.4, 0.4, 0.4});
  Curve s = smooth(c, {3000.0, Axis::Step});
  for (double v : s.values())
    EXPECT_NEAR(v, 0.4, 1e-12);
}

TEST(OnsetSmoothing, DenseRegionDoesNotOutvoteASparseOne) {
  // Ten checkpoints crowd [0, 9], one stands at 10000; midway between, each
  // side covers the same stretch of steps and so weighs the same (plain
  // Nadaraya-Watson would give 1/11).
  std::vector<int64_t> steps;
  std::vector<double> values;
  for (int i = 0; i < 10; ++i) {
    steps.push_back(i);
    values.push_back(0.0);
  }
  steps.push_back(10000);
  values.push_back(1.0);
  std::vector<double> mid = smoothAt(Curve(steps, values), {5004.5}, {5000.0, Axis::Step});
  EXPECT_NEAR(mid[0], 0.5, 0.01);
  std::vector<double> ends = smoothAt(Curve(steps, values), {9.0, 10000.0}, {100.0, Axis::Step});
  EXPECT_NEAR(ends[0], 0.0, 1e-12);
  EXPECT_NEAR(ends[1], 1.0, 1e-12);
  // Far from every point the weights would underflow; the nearest point wins.
  std::vector<double> far = smoothAt(Curve(steps, values), {1e9}, {1.0, Axis::Step});
  EXPECT_NEAR(far[0], 1.0, 1e-12);
}

TEST(OnsetSmoothing, ZeroBandwidthInterpolatesAndSkipsMissing) {
  Curve c({0, 100, 200, 300}, {0.0, kNaN, 2.0, 3.0});
  std::vector<double> out = smoothAt(c, {-5.0, 50.0, 100.0, 250.0, 1000.0}, {});
  EXPECT_DOUBLE_EQ(out[0], 0.0);
  EXPECT_DOUBLE_EQ(out[1], 0.5);
  EXPECT_DOUBLE_EQ(out[2], 1.0);
  EXPECT_DOUBLE_EQ(out[3], 2.5);
  EXPECT_DOUBLE_EQ(out[4], 3.0);
  Curve same = smooth(c, {});
  EXPECT_EQ(same.steps(), (std::vector<int64_t>{0, 200, 300}));
}

TEST(OnsetSmoothing, LogStepBandwidthIsRelative) {
  // On the log-step axis a bandwidth of 0.1 is about ±10% of the step at any
  // scale: 1000 and 1100 blend, as do 100000 and 110000, but not 1000 and
  // 10000. On the step axis no single bandwidth does both.
  Curve c({1000, 1100, 10000, 100000, 110000}, {0.0, 1.0, 5.0, 10.0, 11.0});
  std::vector<double> logOut = smoothAt(c, {1000.0, 1100.0, 100000.0}, {0.1, Axis::LogStep});
  EXPECT_GT(logOut[0], 0.2);
  EXPECT_LT(logOut[0], 1.0);
  EXPECT_LT(logOut[1], 1.0);
  EXPECT_GT(logOut[2], 10.1);
  EXPECT_LT(logOut[2], 11.0);
  std::vector<double> stepOut = smoothAt(c, {1000.0, 100000.0}, {100.0, Axis::Step});
  EXPECT_GT(stepOut[0], 0.2);
  EXPECT_NEAR(stepOut[1], 10.0, 1e-9); // 10000 steps away: no blending
}

TEST(OnsetSmoothing, ReducesNoiseWithoutShiftingALine) {
  std::vector<int64_t> steps;
  std::vector<double> values;
  for (int64_t s = 0; s <= 20000; s += 1000) {
    steps.push_back(s);
    values.push_back(1e-4 * static_cast<double>(s));
  }
  Curve s = smooth(Curve(steps, values), {1500.0, Axis::Step});
  // A symmetric kernel reproduces a line away from the edges.
  EXPECT_NEAR(s.values()[10], 1.0, 1e-9);
}

TEST(OnsetSmoothing, RejectsBadBandwidth) {
  Curve c({0, 1}, {0.0, 1.0});
  EXPECT_THROW(smoothAt(c, {0.0}, {-1.0, Axis::Step}), std::invalid_argument);
  EXPECT_THROW(smoothAt(c, {0.0}, {kNaN, Axis::Step}), std::invalid_argument);
  EXPECT_THROW(smoothAt(c, {-1.0}, {0.1, Axis::LogStep}), std::invalid_argument);
}

TEST(OnsetSmoothing, EmptyCurveGivesNaN) {
  std::vector<double> out = smoothAt(Curve({0}, {kNaN}), {0.0}, {1.0, Axis::Step});
  EXPECT_TRUE(std::isnan(out[0]));
}

#include "onset/log_slope.h"

// -d f / d log(1 + step), worked by hand: f = -2 log(1 + step) falls by
// exactly 2 per log-step unit everywhere, centred or one-sided.
TEST(LossSlope, ExactOnALogarithm) {
  std::vector<int64_t> steps{0, 9, 99, 999};
  std::vector<double> v;
  for (int64_t s : steps)
    v.push_back(-2 * std::log1p(static_cast<double>(s)));
  const std::vector<double> slope =
      chrysalis::onset::fallPerLogStep(chrysalis::onset::Curve(steps, v));
  for (double d : slope)
    EXPECT_NEAR(d, 2.0, 1e-12);
}

TEST(LossSlope, CentredBetweenPresentNeighbours) {
  // steps 0, 9, 99 (log 0, ln 10, ln 100), values 5, NaN, 3: the missing point
  // stays NaN; the ends take the one difference there is: -(3 - 5) / ln 100.
  const double nan = std::nan("");
  auto s = chrysalis::onset::fallPerLogStep(chrysalis::onset::Curve({0, 9, 99}, {5.0, nan, 3.0}));
  EXPECT_NEAR(s[0], 2 / std::log(100.0), 1e-12);
  EXPECT_TRUE(std::isnan(s[1]));
  EXPECT_NEAR(s[2], 2 / std::log(100.0), 1e-12);
  EXPECT_TRUE(std::isnan(chrysalis::onset::fallPerLogStep(chrysalis::onset::Curve({0}, {1.0}))[0]));
}
