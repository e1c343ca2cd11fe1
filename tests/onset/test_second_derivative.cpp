// The paper's detector (docs/method.md, "Onset detectors"): argmax of the
// discrete second derivative with the real step spacing.
#include "onset/detector.h"
#include "onset/second_derivative.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace chrysalis::onset;

namespace {
const double kNaN = std::numeric_limits<double>::quiet_NaN();
// The paper's detector; no longer the default (that is the logistic test).
DetectorOptions paperDetector() {
  DetectorOptions o;
  o.method = Method::SecondDerivative;
  return o;
}
} // namespace

TEST(OnsetSecondDerivative, HandWorkedUnevenGrid) {
  // steps 0, 1000, 3000, 4000; values 0, 0, 2, 5.
  // i=1: left slope 0/1000 = 0, right slope 2/2000 = 0.001,
  //      f'' = (0.001 - 0) / ((3000 - 0) / 2) = 6.6667e-7.
  // i=2: left slope 0.001, right slope 3/1000 = 0.003,
  //      f'' = (0.003 - 0.001) / ((4000 - 1000) / 2) = 1.3333e-6.
  Curve c({0, 1000, 3000, 4000}, {0.0, 0.0, 2.0, 5.0});
  std::vector<double> d2 = secondDerivative(c, Axis::Step);
  ASSERT_EQ(d2.size(), 4u);
  EXPECT_TRUE(std::isnan(d2[0]));
  EXPECT_NEAR(d2[1], 0.001 / 1500.0, 1e-18);
  EXPECT_NEAR(d2[2], 0.002 / 1500.0, 1e-18);
  EXPECT_TRUE(std::isnan(d2[3]));

  // Ignoring the spacing (second differences 2 and 1) would pick step 1000.
  std::optional<Onset> onset = detectOnset(c, paperDetector());
  ASSERT_TRUE(onset);
  EXPECT_EQ(onset->step, 3000);
  EXPECT_EQ(onset->index, 2u);
  EXPECT_NEAR(onset->score, 0.002 / 1500.0, 1e-18);
  EXPECT_EQ(onset->method, "second derivative (step spacing)");
}

TEST(OnsetSecondDerivative, LogStepAxisUsesLog1p) {
  Curve c({0, 1000, 3000, 4000}, {0.0, 0.0, 2.0, 5.0});
  std::vector<double> d2 = secondDerivative(c, Axis::LogStep);
  double x0 = 0.0, x1 = std::log1p(1000.0), x2 = std::log1p(3000.0);
  double expected = ((2.0 - 0.0) / (x2 - x1) - 0.0 / (x1 - x0)) / ((x2 - x0) / 2.0);
  EXPECT_NEAR(d2[1], expected, 1e-12);
}

TEST(OnsetSecondDerivative, MissingPointsAreSkippedNotZero) {
  // The NaN at 2000 is dropped: 3000's neighbours are 1000 and 4000.
  Curve c({0, 1000, 2000, 3000, 4000}, {0.0, 0.0, kNaN, 1.0, 3.0});
  std::vector<double> d2 = secondDerivative(c, Axis::Step);
  EXPECT_TRUE(std::isnan(d2[2]));
  EXPECT_NEAR(d2[3], (2.0 / 1000.0 - 1.0 / 2000.0) / 1500.0, 1e-15);
  std::optional<Onset> onset = detectOnset(c, paperDetector());
  ASSERT_TRUE(onset);
  EXPECT_EQ(onset->index, 3u); // index into the curve as given, NaN included
  EXPECT_EQ(onset->step, 3000);
}

TEST(OnsetSecondDerivative, FallingMetricUsesMinusF) {
  // A loss that stays flat, then drops from 2000 on.
  Curve loss({0, 1000, 2000, 3000, 4000, 5000}, {7.0, 7.0, 7.0, 5.0, 3.0, 2.5});
  DetectorOptions falling = paperDetector();
  falling.falling = true;
  std::optional<Onset> onset = detectOnset(loss, falling);
  ASSERT_TRUE(onset);
  EXPECT_EQ(onset->step, 2000);
  EXPECT_GT(onset->score, 0);
  EXPECT_EQ(onset->method, "second derivative (step spacing, falling)");
  // Read as a rising metric, the sharpest upward turn is where the drop ends.
  std::optional<Onset> rising = detectOnset(loss, paperDetector());
  ASSERT_TRUE(rising);
  EXPECT_EQ(rising->step, 4000);
}

TEST(OnsetSecondDerivative, NoOnsetWithoutAnUpwardTurn) {
  EXPECT_FALSE(detectOnset(Curve({0, 1}, {0.0, 1.0}), paperDetector()));
  EXPECT_FALSE(detectOnset(Curve({0, 1, 2}, {kNaN, 0.0, 1.0}), paperDetector()));
  EXPECT_FALSE(
      detectOnset(Curve({0, 10, 30, 60}, {1.0, 2.0, 4.0, 7.0}), paperDetector())); // a line
  EXPECT_FALSE(
      detectOnset(Curve({0, 10, 20, 30}, {0.0, 5.0, 8.0, 9.0}), paperDetector())); // concave
  EXPECT_FALSE(detectOnset(Curve(), paperDetector()));
}

TEST(OnsetSecondDerivative, SearchWindowKeepsRealNeighbours) {
  // Two upturns, at 2000 (sharper) and 6000.
  Curve c({0, 1000, 2000, 3000, 4000, 5000, 6000, 7000}, {0.0, 0.0, 0.0, 3.0, 3.0, 3.0, 3.0, 4.0});
  EXPECT_EQ(detectOnset(c, paperDetector())->step, 2000);
  DetectorOptions after = paperDetector();
  after.searchAfter = 2000;
  std::optional<Onset> later = detectOnset(c, after);
  ASSERT_TRUE(later);
  EXPECT_EQ(later->step, 6000);
  EXPECT_EQ(later->index, 6u);
  // searchAfter between checkpoints: 2000 is still excluded, 3000 is allowed
  // and keeps 2000 as its left neighbour (a downturn there, so not chosen).
  after.searchAfter = 2500;
  EXPECT_EQ(detectOnset(c, after)->step, 6000);
  DetectorOptions until = paperDetector();
  until.searchAfter = 2000;
  until.searchUntil = 5000;
  EXPECT_FALSE(detectOnset(c, until)); // 3000..5000 only turn down or stay flat
  until.searchUntil = 6000;
  EXPECT_EQ(detectOnset(c, until)->step, 6000);
  EXPECT_EQ(describe(until), "second derivative (step spacing, after step 2000, until step 6000)");
}

TEST(OnsetSecondDerivative, DescribeNamesEverySetting) {
  DetectorOptions o = logStepSmoothed(0.1);
  o.falling = true;
  EXPECT_EQ(describe(o), "second derivative (log-step spacing, falling, smoothed σ=0.1 log-step)");
  o.method = Method::ThreeSegmentFit;
  o.smoothing.bandwidth = 0;
  o.falling = false;
  EXPECT_EQ(describe(o), "3-segment fit, first break (log-step axis)");
  o.method = Method::HingeFit;
  o.axis = Axis::Step;
  EXPECT_EQ(describe(o), "2-segment hinge fit (step axis)");
}
