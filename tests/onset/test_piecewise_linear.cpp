// The alternative detector: continuous piecewise-linear least-squares fits.
#include "onset/detector.h"
#include "onset/piecewise_linear.h"
#include "synthetic.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace chrysalis::onset;
using namespace chrysalis::onset::test;

namespace {
double hinge(double s) {
  return 0.2 + 1e-5 * std::max(0.0, s - 30000);
}
double threeSegments(double s) {
  return 0.1 + 1.6e-5 * std::clamp(s - 15000, 0.0, 25000.0);
}
} // namespace

TEST(OnsetPiecewiseLinear, ExactHingeIsRecovered) {
  std::vector<int64_t> grid = paperGrid();
  std::optional<PiecewiseLinearFit> fit = fitPiecewiseLinear(sampled(grid, hinge), 2, Axis::Step);
  ASSERT_TRUE(fit);
  EXPECT_EQ(fit->breakSteps, (std::vector<int64_t>{30000}));
  ASSERT_EQ(fit->slopes.size(), 2u);
  EXPECT_NEAR(fit->slopes[0], 0.0, 1e-12);
  EXPECT_NEAR(fit->slopes[1], 1e-5, 1e-12);
  EXPECT_NEAR(fit->sse, 0.0, 1e-20);
  EXPECT_NEAR(fit->fitted[20], hinge(static_cast<double>(grid[20])), 1e-9);

  DetectorOptions options;
  options.method = Method::HingeFit;
  std::optional<Onset> onset = detectOnset(sampled(grid, hinge), options);
  ASSERT_TRUE(onset);
  EXPECT_EQ(onset->step, 30000);
  EXPECT_NEAR(onset->score, 1e-5, 1e-12);
  // The paper's second derivative agrees on an exact hinge (its kink is the
  // one nonzero second difference).
  DetectorOptions raw;
  raw.method = Method::SecondDerivative;
  EXPECT_EQ(detectOnset(sampled(grid, hinge), raw)->step, 30000);
}

TEST(OnsetPiecewiseLinear, ThreeSegmentOnsetIsTheFirstBreak) {
  std::vector<int64_t> grid = paperGrid();
  std::optional<PiecewiseLinearFit> fit =
      fitPiecewiseLinear(sampled(grid, threeSegments), 3, Axis::Step);
  ASSERT_TRUE(fit);
  EXPECT_EQ(fit->breakSteps, (std::vector<int64_t>{15000, 40000}));
  EXPECT_NEAR(fit->slopes[1], 1.6e-5, 1e-12);
  EXPECT_NEAR(fit->slopes[2], 0.0, 1e-12);

  DetectorOptions options;
  options.method = Method::ThreeSegmentFit;
  EXPECT_EQ(detectOnset(sampled(grid, threeSegments), options)->step, 15000);
  // A 3-segment fit of an exact hinge puts its first break on the hinge.
  EXPECT_EQ(detectOnset(sampled(grid, hinge), options)->step, 30000);
}

TEST(OnsetPiecewiseLinear, ThreeSegmentFitUnderNoise) {
  std::vector<int64_t> grid = paperGrid();
  DetectorOptions options;
  options.method = Method::ThreeSegmentFit;
  int hits = 0;
  for (uint64_t seed = 0; seed < 40; ++seed) {
    std::optional<Onset> o = detectOnset(sampled(grid, threeSegments, 0.01, seed), options);
    if (o && withinOneSpacing(grid, o->step, 15000)) ++hits;
  }
  EXPECT_GE(hits, 38);
}

TEST(OnsetPiecewiseLinear, FallingHinge) {
  std::vector<int64_t> grid = paperGrid();
  DetectorOptions options;
  options.method = Method::HingeFit;
  options.falling = true;
  std::optional<Onset> onset =
      detectOnset(sampled(grid, [](double s) { return 9.0 - 10 * hinge(s); }), options);
  ASSERT_TRUE(onset);
  EXPECT_EQ(onset->step, 30000);
}

TEST(OnsetPiecewiseLinear, LogStepAxis) {
  std::vector<int64_t> grid = logGrid();
  double knot = std::log1p(static_cast<double>(grid[10]));
  auto f = [&](double s) { return std::max(0.0, std::log1p(s) - knot); };
  std::optional<PiecewiseLinearFit> fit = fitPiecewiseLinear(sampled(grid, f), 2, Axis::LogStep);
  ASSERT_TRUE(fit);
  EXPECT_EQ(fit->breakIndices, (std::vector<size_t>{10}));
  EXPECT_NEAR(fit->slopes[1], 1.0, 1e-9);
}

TEST(OnsetPiecewiseLinear, MissingPointsAndDegenerateInput) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Curve c({0, 10, 20, 30, 40, 50}, {0.0, nan, 0.0, 0.0, 1.0, 2.0});
  std::optional<PiecewiseLinearFit> fit = fitPiecewiseLinear(c, 2, Axis::Step);
  ASSERT_TRUE(fit);
  EXPECT_EQ(fit->breakIndices, (std::vector<size_t>{3}));
  EXPECT_TRUE(std::isnan(fit->fitted[1]));
  EXPECT_NEAR(fit->fitted[5], 2.0, 1e-12);

  EXPECT_FALSE(fitPiecewiseLinear(Curve({0, 1}, {0.0, 1.0}), 2, Axis::Step));
  EXPECT_FALSE(fitPiecewiseLinear(Curve({0, 1, 2}, {0.0, 1.0, 0.5}), 3, Axis::Step));
  EXPECT_FALSE(fitPiecewiseLinear(Curve({0, 1, 2, 3}, {1.0, 2.0, 3.0, 4.0}), 2, Axis::Step));
  EXPECT_FALSE(fitPiecewiseLinear(Curve({0, 1, 2, 3}, {1.0, 1.0, 1.0, 1.0}), 3, Axis::Step));
  EXPECT_THROW(fitPiecewiseLinear(c, 4, Axis::Step), std::invalid_argument);
}
