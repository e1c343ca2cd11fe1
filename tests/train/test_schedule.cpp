// The learning-rate schedule, λ with early suppression, the checkpoint
// cadence, presets and the configuration's JSON round trip.
#include "common/error.h"
#include "format/series.h"
#include "test_support.h"
#include "train/schedule.h"
#include "train/train_config.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace chrysalis;
using namespace chrysalis::train;

TEST(Schedule, LinearWarmupThenLinearDecayToZeroAtTheHorizon) {
  TrainConfig c;
  c.learningRate = 1e-3;
  c.warmupSteps = 10;
  c.steps = 110;
  EXPECT_DOUBLE_EQ(learningRateAt(c, 0), 0.0); // HF: the first update has lr 0
  EXPECT_DOUBLE_EQ(learningRateAt(c, 5), 5e-4);
  EXPECT_DOUBLE_EQ(learningRateAt(c, 10), 1e-3);
  EXPECT_DOUBLE_EQ(learningRateAt(c, 60), 5e-4);
  EXPECT_DOUBLE_EQ(learningRateAt(c, 110), 0.0);
  EXPECT_DOUBLE_EQ(learningRateAt(c, 200), 0.0);
  // A fixed horizon past the run (the paper's 1M): decay continues toward it.
  c.horizon = 210;
  EXPECT_DOUBLE_EQ(learningRateAt(c, 110), 1e-3 * 100.0 / 200.0);
  c.warmupSteps = 0;
  EXPECT_DOUBLE_EQ(learningRateAt(c, 0), 1e-3);
}

TEST(Schedule, SuppressUntilSwitchesLambdaOffAtN) {
  TrainConfig c;
  c.schedule = Schedule::SasMinus;
  c.lambda = 0.01;
  EXPECT_DOUBLE_EQ(lambdaAt(c, 100000), 0.01);
  c.suppressUntil = 300;
  EXPECT_DOUBLE_EQ(lambdaAt(c, 299), 0.01);
  EXPECT_DOUBLE_EQ(lambdaAt(c, 300), 0.0);
  EXPECT_DOUBLE_EQ(lambdaAt(c, 5000), 0.0);
}

TEST(Schedule, DefaultCadenceIsDenseEarlyThenSparse) {
  EXPECT_EQ(niceInterval(0.3), 1);
  EXPECT_EQ(niceInterval(20), 20);
  EXPECT_EQ(niceInterval(49), 20);
  EXPECT_EQ(niceInterval(50), 50);
  EXPECT_EQ(niceInterval(2500), 2000);
  TrainConfig c;
  c.steps = 100000; // the paper: every 1k to 15k, then sparser
  auto s = checkpointSchedule(c);
  ASSERT_GE(s.size(), 17u);
  EXPECT_EQ(s[0], 0);
  EXPECT_EQ(s[1], 1000);
  EXPECT_EQ(s[15], 15000);
  EXPECT_EQ(s[16], 16000);
  EXPECT_EQ(s[17], 18000);
  EXPECT_EQ(s.back(), 100000);
  c.steps = 2000; // the demo
  s = checkpointSchedule(c);
  EXPECT_EQ(s[1], 20);
  EXPECT_NE(std::find(s.begin(), s.end(), 300), s.end());
  EXPECT_NE(std::find(s.begin(), s.end(), 350), s.end());
  EXPECT_EQ(std::find(s.begin(), s.end(), 320), s.end());
  EXPECT_EQ(s.back(), 2000);
  EXPECT_LE(s.size(), 60u);
  EXPECT_TRUE(std::is_sorted(s.begin(), s.end()));
}

TEST(Schedule, ExplicitCadencesAlwaysIncludeStepZeroAndTheEnd) {
  TrainConfig c;
  c.steps = 10;
  c.checkpointEvery = 4;
  EXPECT_EQ(checkpointSchedule(c), (std::vector<int64_t>{0, 4, 8, 10}));
  c.checkpointSteps = {7, 3, 3};
  EXPECT_EQ(checkpointSchedule(c), (std::vector<int64_t>{0, 3, 7, 10}));
}

// --keep-states every:N / log:K: which checkpoints keep their resume state
// for train --densify (worked by hand for the demo's cadence).
TEST(Schedule, KeptStatesFollowTheRule) {
  TrainConfig c;
  c.steps = 2000; // checkpoints every 20 to 300, then every 50
  EXPECT_TRUE(keptStateSteps(c).empty());
  c.keepStatesAt = "every:500";
  EXPECT_EQ(keptStateSteps(c), (std::vector<int64_t>{0, 500, 1000, 1500, 2000}));
  c.keepStatesAt = "log:1"; // the first checkpoint of each decade
  EXPECT_EQ(keptStateSteps(c), (std::vector<int64_t>{0, 20, 100, 1000}));
  c.keepStatesAt = "log:2"; // bands from 10^0.5 = 3.2: [31.6, 100), [100, 316), ...
  EXPECT_EQ(keptStateSteps(c), (std::vector<int64_t>{0, 20, 40, 100, 350, 1000}));
  c.dataFiles = {"/data/train.conllu"};
  auto problem = [&](const std::string& rule) -> std::string {
    c.keepStatesAt = rule;
    try {
      c.validate();
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(problem("log:3"), "");
  for (const char* bad : {"every:0", "sometimes:3", "log:", "every:2x"})
    EXPECT_NE(problem(bad).find("--keep-states"), std::string::npos) << bad;
  c.keepStatesAt = "log:3";
  EXPECT_EQ(TrainConfig::fromJson(c.toJson(), "x").keepStatesAt, "log:3");
  // Runs recorded before the rule existed (the bundled demo) read as "";
  // a hostile rule in series.json is refused when read, not mid-run.
  auto j = c.toJson();
  j.erase("keep_states_at");
  EXPECT_EQ(TrainConfig::fromJson(j, "x").keepStatesAt, "");
  const auto demo = format::readSeriesMeta(test::sourceDir() / "resources/demo/baseline");
  ASSERT_FALSE(demo.training.contains("keep_states_at"));
  EXPECT_EQ(TrainConfig::fromJson(demo.training, "demo").keepStatesAt, "");
  j["keep_states_at"] = "every:0";
  EXPECT_THROW(TrainConfig::fromJson(j, "x"), InputError);
}

TEST(Presets, MatchTheDocumentedRecipes) {
  auto demo = presetConfig("demo");
  EXPECT_EQ(demo.model.numHiddenLayers, 4);
  EXPECT_EQ(demo.model.numAttentionHeads, 4);
  EXPECT_EQ(demo.model.hiddenSize, 128);
  EXPECT_EQ(demo.model.intermediateSize, 512);
  EXPECT_EQ(demo.batchSize, 32);
  EXPECT_EQ(demo.warmupSteps, 300);
  EXPECT_DOUBLE_EQ(demo.learningRate, 1e-3);
  auto base = presetConfig("base");
  EXPECT_EQ(base.model.hiddenSize, 768);
  EXPECT_EQ(base.model.numHiddenLayers, 12);
  EXPECT_EQ(base.batchSize, 256);
  EXPECT_EQ(base.maxSeqLength, 512);
  EXPECT_EQ(base.horizonSteps(), 1000000);
  EXPECT_DOUBLE_EQ(base.learningRate, 1e-4);
  EXPECT_EQ(base.warmupSteps, 10000);
  EXPECT_THROW(presetConfig("huge"), InputError);
}

TEST(TrainConfig, JsonRoundTripAndValidation) {
  auto c = presetConfig("tiny");
  c.dataFiles = {"/data/a.conllu", "/data/b.txt"};
  c.schedule = Schedule::SasPlus;
  c.lambda = -0.01;
  c.suppressUntil = 30;
  c.seed = 7;
  c.checkpointSteps = {5, 9};
  c.weightsDType = format::DType::BF16;
  auto back = TrainConfig::fromJson(c.toJson(), "series.json");
  EXPECT_EQ(back.toJson(), c.toJson());
  EXPECT_NO_THROW(back.validate());

  auto bad = c;
  bad.model.hiddenSize = 33;
  try {
    bad.validate();
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--hidden"), std::string::npos) << e.what();
  }
  bad = c;
  bad.lambda = 0.01; // SAS+ needs λ < 0
  EXPECT_THROW(bad.validate(), InputError);
  auto j = c.toJson();
  j.erase("steps");
  EXPECT_THROW(TrainConfig::fromJson(j, "series.json"), InputError);
}
