// The default detector: a logistic turn kept only when it is significant
// (core/onset/logistic_fit.h). Hand-made curves for each answer, and the
// synthetic suite behind docs/probes.md's table for its accuracy.
#include "onset/detector.h"
#include "onset/logistic_fit.h"
#include "synthetic_suite.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace chrysalis::onset;
using namespace chrysalis::onset::test;

TEST(LogisticFit, RecoversAnExactLogistic) {
  // 0.1 + 0.3 / (1 + exp(-(s - 800) / 60)) every 50 steps: f'' peaks at
  // 800 - 1.317 * 60 = 721.
  std::vector<int64_t> grid;
  for (int64_t s = 0; s <= 2000; s += 50)
    grid.push_back(s);
  Curve c = sampled(grid, Sigmoid{800, 1 / 60.0, 0.1, 0.3});
  LogisticTest t = testLogisticRise(c);
  ASSERT_TRUE(t.significant) << t.reason;
  ASSERT_TRUE(t.rise);
  EXPECT_EQ(t.rise->axis, Axis::Step);
  EXPECT_NEAR(t.rise->turn(), 721.0, 2.0);
  EXPECT_NEAR(t.rise->amplitude, 0.3, 1e-3);
  EXPECT_NEAR(t.rise->base, 0.1, 1e-3);
  std::optional<Onset> onset = detectOnset(c, {});
  ASSERT_TRUE(onset);
  EXPECT_EQ(onset->step, 700); // the checkpoint nearest 721
}

TEST(LogisticFit, NoOnsetSaysWhy) {
  std::vector<int64_t> grid;
  for (int64_t s = 0; s <= 2000; s += 50)
    grid.push_back(s);
  auto reason = [&](auto f) {
    Detection d = detect(sampled(grid, f, 0.003, 7), {});
    EXPECT_FALSE(d.onset) << "onset at " << d.onset->step;
    return d.noOnsetReason;
  };
  EXPECT_EQ(reason([](double) { return 0.2; }).rfind("flat within noise", 0), 0u);
  EXPECT_EQ(reason([](double s) { return 0.1 + 0.3 * std::exp(-s / 300); }).rfind("falls", 0), 0u);
  EXPECT_EQ(reason([](double s) {
              return 0.1 + 0.3 * (1 - std::exp(-s / 300));
            }).rfind("rises from the start and levels off", 0),
            0u);
  Detection few = detect(Curve({0, 1, 2, 3}, {0, 0, 1, 1}), {});
  EXPECT_FALSE(few.onset);
  EXPECT_EQ(few.noOnsetReason, "too few checkpoints (4; 5 needed)");
}

TEST(LogisticFit, FallingMetricsAreNegatedFirst) {
  // A loss that drops sharply at ~1000: an onset for `falling`, none as a rise.
  std::vector<int64_t> grid;
  for (int64_t s = 0; s <= 2000; s += 50)
    grid.push_back(s);
  Curve loss = sampled(
      grid, [](double s) { return 6.0 - 1.0 / (1 + std::exp(-(s - 1000) / 40)); }, 0.01, 3);
  DetectorOptions falling;
  falling.falling = true;
  std::optional<Onset> onset = detectOnset(loss, falling);
  ASSERT_TRUE(onset);
  EXPECT_TRUE(withinOneSpacing(grid, onset->step, 1000 - 1.317 * 40)) << onset->step;
  EXPECT_FALSE(detectOnset(loss, {}));
}

// The default is held to the figures docs/probes.md reports (fewer trials
// here, so the bounds leave room): onsets within one spacing of the true turn
// on most noisy rises, and "no onset" on nearly every curve without one,
// where the paper's second derivative answers "none" on none.
TEST(LogisticFit, SyntheticSuiteAccuracy) {
  DetectorOptions paper;
  paper.method = Method::SecondDerivative;
  uint64_t seed = 100;
  for (double noise : {0.01, 0.03}) {
    SuiteScore ours, theirs;
    for (const NamedGrid& g : suiteGrids())
      for (const SyntheticCurve& c : suiteCurves(g.steps, noise, 3, seed++)) {
        score(ours, c, g.steps, {});
        score(theirs, c, g.steps, paper);
      }
    EXPECT_GE(ours.hitRate(), 0.85) << "noise " << noise;
    EXPECT_GE(ours.noneRate(), 0.95) << "noise " << noise;
    EXPECT_GT(ours.hitRate(), theirs.hitRate() + 0.3) << "noise " << noise;
    EXPECT_EQ(theirs.noneRate(), 0.0) << "noise " << noise;
  }
}
