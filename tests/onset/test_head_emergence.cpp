// Per-head emergence: each head's own breakpoint, or "never".
#include "onset/head_emergence.h"
#include "synthetic.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace chrysalis::onset;
using namespace chrysalis::onset::test;

namespace {

// Six heads on the paper grid: three that become syntactic at different
// times, one flat, one that decays, one that rises by only 0.03.
CheckpointMatrix heads(double sigma, uint64_t seed) {
  std::vector<int64_t> grid = paperGrid();
  std::vector<Sigmoid> rising = {
      {40000, 1 / 3000.0, 0.2, 0.4}, {8000, 1 / 800.0, 0.2, 0.5}, {20000, 1 / 1500.0, 0.15, 0.3}};
  SplitMix64 rng(seed);
  std::vector<double> v;
  for (int64_t step : grid) {
    double s = static_cast<double>(step);
    v.push_back(rising[0](s) + sigma * gaussian(rng));
    v.push_back(rising[1](s) + sigma * gaussian(rng));
    v.push_back(rising[2](s) + sigma * gaussian(rng));
    v.push_back(0.3 + sigma * gaussian(rng));
    v.push_back(0.6 - 0.3 * Sigmoid{20000, 1 / 2000.0, 0, 1}(s) + sigma * gaussian(rng));
    v.push_back(Sigmoid{20000, 1 / 1500.0, 0.2, 0.03}(s) + sigma * gaussian(rng));
  }
  return CheckpointMatrix(grid, 6, v);
}

} // namespace

TEST(OnsetHeadEmergence, OrdersHeadsAndMarksNever) {
  std::vector<HeadEmergence> result = headEmergence(heads(0.0, 0));
  ASSERT_EQ(result.size(), 6u);
  ASSERT_TRUE(result[0].onset && result[1].onset && result[2].onset);
  // Head 1 (8k) before head 2 (20k) before head 0 (40k).
  EXPECT_LT(result[1].onset->step, result[2].onset->step);
  EXPECT_LT(result[2].onset->step, result[0].onset->step);
  EXPECT_NEAR(result[1].rise, 0.5, 0.01);
  EXPECT_FALSE(result[3].onset); // flat
  EXPECT_FALSE(result[4].onset); // decays
  EXPECT_FALSE(result[5].onset); // rises by 0.03 < 0.05
  EXPECT_NEAR(result[5].rise, 0.03, 0.001);

  std::vector<double> steps = emergenceSteps(result);
  EXPECT_EQ(steps[1], static_cast<double>(result[1].onset->step));
  EXPECT_TRUE(std::isnan(steps[3]) && std::isnan(steps[4]) && std::isnan(steps[5]));

  HeadEmergenceOptions lower;
  lower.minRise = 0.02;
  EXPECT_TRUE(headEmergence(heads(0.0, 0), lower)[5].onset);
}

TEST(OnsetHeadEmergence, NoisyHeadsWithTheLogStepDetector) {
  HeadEmergenceOptions options;
  options.detector = logStepSmoothed();
  std::vector<HeadEmergence> result = headEmergence(heads(0.005, 3), options);
  ASSERT_TRUE(result[0].onset && result[1].onset && result[2].onset);
  EXPECT_LT(result[1].onset->step, result[2].onset->step);
  EXPECT_LT(result[2].onset->step, result[0].onset->step);
  EXPECT_FALSE(result[3].onset);
  EXPECT_FALSE(result[4].onset);
}

TEST(OnsetHeadEmergence, FallingMetricRiseIsMeasuredOnMinusF) {
  // For a falling metric the decaying head is the one that "rises".
  HeadEmergenceOptions options;
  options.detector.falling = true;
  std::vector<HeadEmergence> result = headEmergence(heads(0.0, 0), options);
  EXPECT_TRUE(result[4].onset);
  EXPECT_NEAR(result[4].rise, 0.3, 0.01);
  EXPECT_FALSE(result[3].onset);
}

TEST(OnsetHeadEmergence, LargestRise) {
  EXPECT_DOUBLE_EQ(largestRise(Curve({0, 1, 2, 3}, {0.5, 0.1, 0.4, 0.2})), 0.30000000000000004);
  EXPECT_DOUBLE_EQ(largestRise(Curve({0, 1}, {0.5, 0.1})), 0.0);
  EXPECT_DOUBLE_EQ(largestRise(Curve()), 0.0);
}
