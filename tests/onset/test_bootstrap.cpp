// Bootstrap confidence: resampling probe items moves the onset; the interval
// must contain the truth and be a pure function of the seed.
#include "onset/bootstrap.h"
#include "onset/random.h"
#include "synthetic.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace chrysalis::onset;
using namespace chrysalis::onset::test;

namespace {

const Sigmoid kUas{20000, 1 / 1500.0};
const Sigmoid kBlimp{45000, 1 / 2500.0, 0.55, 0.25};

// Per-sentence UAS: each sentence has 5..30 counted words and its own
// difficulty; the score is its fraction of words with the right parent.
ItemScores sentences(const std::vector<int64_t>& grid, size_t count, uint64_t seed) {
  SplitMix64 rng(seed);
  std::vector<double> words(count);
  std::vector<double> difficulty(count);
  for (size_t j = 0; j < count; ++j) {
    words[j] = static_cast<double>(5 + rng.below(26));
    difficulty[j] = 0.1 * gaussian(rng);
  }
  std::vector<double> scores;
  for (int64_t s : grid) {
    for (size_t j = 0; j < count; ++j) {
      double p = std::clamp(kUas(static_cast<double>(s)) + difficulty[j], 0.01, 0.99);
      int correct = 0;
      for (int w = 0; w < static_cast<int>(words[j]); ++w) {
        correct += static_cast<double>(rng.next() >> 11) * 0x1.0p-53 < p ? 1 : 0;
      }
      scores.push_back(correct / words[j]);
    }
  }
  return {CheckpointMatrix(grid, count, scores), words};
}

// Per-pair BLiMP correctness, 0 or 1.
ItemScores pairs(const std::vector<int64_t>& grid, size_t count, uint64_t seed) {
  SplitMix64 rng(seed);
  std::vector<double> scores;
  for (int64_t s : grid) {
    for (size_t j = 0; j < count; ++j) {
      double u = static_cast<double>(rng.next() >> 11) * 0x1.0p-53;
      scores.push_back(u < kBlimp(static_cast<double>(s)) ? 1.0 : 0.0);
    }
  }
  return {CheckpointMatrix(grid, count, scores), {}};
}

bool intervalCoversTruth(const std::vector<int64_t>& grid, const Onset& onset, double truth) {
  // Checkpoints are discrete: the interval [low, high] covers the truth when
  // it reaches a checkpoint within one spacing of it.
  return withinOneSpacing(grid, *onset.lowStep, truth) ||
         withinOneSpacing(grid, *onset.highStep, truth) ||
         (*onset.lowStep <= truth && truth <= *onset.highStep);
}

} // namespace

TEST(OnsetRandom, SplitMix64ReferenceValues) {
  // Reference outputs of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
  SplitMix64 rng(0);
  EXPECT_EQ(rng.next(), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(rng.next(), 0x6e789e6aa1b965f4ULL);
  EXPECT_EQ(rng.next(), 0x06c45d188009454fULL);
  SplitMix64 small(7);
  for (int i = 0; i < 1000; ++i)
    EXPECT_LT(small.below(3), 3u);
}

TEST(OnsetBootstrap, WeightedMeanIsThePooledRatio) {
  // Sentence A: 3 of 4 words right; B: 1 of 1; C missing at step 10.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  ItemScores items{CheckpointMatrix({0, 10}, 3, {0.75, 1.0, 0.0, 0.75, 1.0, nan}), {4, 1, 5}};
  Curve c = weightedMean(items);
  EXPECT_NEAR(c.values()[0], (3.0 + 1.0 + 0.0) / 10.0, 1e-12);
  EXPECT_NEAR(c.values()[1], (3.0 + 1.0) / 5.0, 1e-12);
  ItemScores unweighted{CheckpointMatrix({0}, 2, {0.0, 1.0}), {}};
  EXPECT_NEAR(weightedMean(unweighted).values()[0], 0.5, 1e-12);
  ItemScores allMissing{CheckpointMatrix({0}, 1, {nan}), {}};
  EXPECT_TRUE(std::isnan(weightedMean(allMissing).values()[0]));
}

TEST(OnsetBootstrap, RejectsBadWeightsAndQuantiles) {
  CheckpointMatrix m({0, 1}, 2, {0, 0, 1, 1});
  EXPECT_THROW(weightedMean({m, {1.0}}), std::invalid_argument);
  EXPECT_THROW(weightedMean({m, {1.0, -1.0}}), std::invalid_argument);
  EXPECT_THROW(weightedMean({m, {0.0, 0.0}}), std::invalid_argument);
  BootstrapOptions bad;
  bad.lowQuantile = 0.9;
  bad.highQuantile = 0.1;
  EXPECT_THROW(bootstrapOnset({m, {}}, {}, bad), std::invalid_argument);
  EXPECT_THROW(CheckpointMatrix({0, 1}, 2, {0, 0, 1}), std::invalid_argument);
}

TEST(OnsetBootstrap, IntervalContainsTheTruthAndIsDeterministic) {
  std::vector<int64_t> grid = paperGrid();
  ItemScores items = sentences(grid, 400, 42);
  BootstrapOptions options;
  options.resamples = 200;
  options.seed = 7;
  BootstrapResult a = bootstrapOnset(items, logStepSmoothed(), options);
  ASSERT_TRUE(a.onset);
  EXPECT_FALSE(a.cancelled);
  EXPECT_EQ(a.resampledSteps.size(), 200u);
  EXPECT_TRUE(withinOneSpacing(grid, a.onset->step, kUas.riseStart())) << a.onset->step;
  ASSERT_TRUE(a.onset->lowStep && a.onset->highStep && a.onset->agreement);
  EXPECT_LE(*a.onset->lowStep, *a.onset->highStep);
  EXPECT_TRUE(intervalCoversTruth(grid, *a.onset, kUas.riseStart()))
      << *a.onset->lowStep << ".." << *a.onset->highStep;
  EXPECT_GT(*a.onset->agreement, 0.5);
  EXPECT_LE(*a.onset->agreement, 1.0);

  BootstrapResult again = bootstrapOnset(items, logStepSmoothed(), options);
  EXPECT_EQ(again.resampledSteps, a.resampledSteps);
  EXPECT_EQ(again.onset->lowStep, a.onset->lowStep);
  EXPECT_EQ(again.onset->highStep, a.onset->highStep);
  EXPECT_EQ(again.onset->agreement, a.onset->agreement);
}

TEST(OnsetBootstrap, NoisierItemsWidenTheInterval) {
  // With the raw-spacing detector and few items, the onset wanders: the
  // interval and the agreement must show it.
  std::vector<int64_t> grid = paperGrid();
  BootstrapOptions options;
  options.resamples = 100;
  BootstrapResult few = bootstrapOnset(sentences(grid, 30, 3), {}, options);
  ASSERT_TRUE(few.onset);
  EXPECT_LT(*few.onset->agreement, 0.9);
  EXPECT_LT(*few.onset->lowStep, *few.onset->highStep);
}

TEST(OnsetBootstrap, SeedChangesResamplesAndProgressCancels) {
  std::vector<int64_t> grid = paperGrid();
  ItemScores items = sentences(grid, 30, 5);
  BootstrapOptions options;
  options.resamples = 50;
  options.seed = 1;
  BootstrapResult one = bootstrapOnset(items, {}, options);
  options.seed = 2;
  BootstrapResult two = bootstrapOnset(items, {}, options);
  EXPECT_NE(one.resampledSteps, two.resampledSteps);

  int64_t calls = 0;
  options.progress = [&](int64_t done, int64_t total) {
    EXPECT_EQ(total, 50);
    calls = done;
    return done < 10;
  };
  BootstrapResult cancelled = bootstrapOnset(items, {}, options);
  EXPECT_TRUE(cancelled.cancelled);
  EXPECT_EQ(calls, 10);
  EXPECT_EQ(cancelled.resampledSteps.size(), 10u);
}

TEST(OnsetBootstrap, WholeReport) {
  std::vector<int64_t> grid = paperGrid();
  ItemScores uas = sentences(grid, 400, 11);
  ItemScores blimp = pairs(grid, 3000, 12);
  OnsetOptions onsets;
  onsets.detector = logStepSmoothed();
  BootstrapOptions options;
  options.resamples = 100;
  options.seed = 99;
  BootstrapReport r = bootstrapOnsets(uas, blimp, onsets, options);
  ASSERT_TRUE(r.report.structure && r.report.capabilities && r.report.plateau);
  EXPECT_EQ(r.structureSteps.size(), 100u);
  EXPECT_EQ(r.capabilitiesSteps.size(), 100u);
  EXPECT_EQ(r.plateauSteps.size(), 100u);
  EXPECT_TRUE(intervalCoversTruth(grid, *r.report.structure, kUas.riseStart()));
  EXPECT_TRUE(intervalCoversTruth(grid, *r.report.capabilities, kBlimp.riseStart()))
      << *r.report.capabilities->lowStep << ".." << *r.report.capabilities->highStep;
  EXPECT_GT(*r.report.capabilities->lowStep, *r.report.structure->lowStep);
  ASSERT_TRUE(r.report.plateau->lowStep);
  BootstrapReport again = bootstrapOnsets(uas, blimp, onsets, options);
  EXPECT_EQ(again.capabilitiesSteps, r.capabilitiesSteps);
}

TEST(OnsetSeedBootstrap, SeedMeanKeepsTheStepsEverySeedHas) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Curve a({0, 10, 20, 30}, {1, 2, nan, 4});
  Curve b({10, 20, 30, 40}, {4, 6, 8, 10});
  Curve mean = seedMean({a, b});
  EXPECT_EQ(mean.steps(), (std::vector<int64_t>{10, 20, 30}));
  EXPECT_EQ(mean.values()[0], 3.0);
  EXPECT_TRUE(std::isnan(mean.values()[1])); // a has no value at 20
  EXPECT_EQ(mean.values()[2], 6.0);
}

TEST(OnsetSeedBootstrap, OneSeedOrIdenticalSeedsAreTheSingleRunBootstrap) {
  std::vector<int64_t> grid = paperGrid();
  ItemScores uas = sentences(grid, 200, 21);
  ItemScores blimp = pairs(grid, 1000, 22);
  BootstrapOptions options;
  options.resamples = 60;
  options.seed = 5;
  BootstrapReport single = bootstrapOnsets(uas, blimp, {}, options);
  for (size_t copies : {1, 2}) {
    BootstrapReport group = bootstrapSeedOnsets(
        std::vector<ItemScores>(copies, uas), std::vector<ItemScores>(copies, blimp), {}, options);
    EXPECT_EQ(group.structureSteps, single.structureSteps) << copies;
    EXPECT_EQ(group.capabilitiesSteps, single.capabilitiesSteps) << copies;
    ASSERT_TRUE(group.report.structure && single.report.structure);
    EXPECT_EQ(*group.report.structure->lowStep, *single.report.structure->lowStep);
    EXPECT_EQ(*group.report.structure->highStep, *single.report.structure->highStep);
  }
}

TEST(OnsetSeedBootstrap, SeedsShareTheDrawnItems) {
  // Two seeds scored on one probe set: the group's interval holds its onset
  // and the truth, the resamples are a pure function of the seed, and seeds
  // probed on another number of items are refused.
  std::vector<int64_t> grid = paperGrid();
  std::vector<ItemScores> uas = {sentences(grid, 300, 31), sentences(grid, 300, 32)};
  uas[1].weights = uas[0].weights; // one probe set: the same sentences
  std::vector<ItemScores> blimp = {pairs(grid, 1000, 33), pairs(grid, 1000, 34)};
  BootstrapOptions options;
  options.resamples = 50;
  BootstrapReport r = bootstrapSeedOnsets(uas, blimp, {}, options);
  ASSERT_TRUE(r.report.structure && r.report.structure->lowStep);
  EXPECT_LE(*r.report.structure->lowStep, r.report.structure->step);
  EXPECT_GE(*r.report.structure->highStep, r.report.structure->step);
  EXPECT_TRUE(intervalCoversTruth(grid, *r.report.structure, kUas.riseStart()));
  EXPECT_EQ(bootstrapSeedOnsets(uas, blimp, {}, options).structureSteps, r.structureSteps);

  uas[1] = sentences(grid, 299, 32); // another probe set
  EXPECT_THROW(bootstrapSeedOnsets(uas, blimp, {}, options), std::invalid_argument);
  EXPECT_THROW(bootstrapSeedOnsets({}, {}, {}, options), std::invalid_argument);
}
