// The trainer in-process on real EWT sentences: the regularizer's effect on
// attention, λ = 0 asking for no attentions, suppress-until, determinism,
// stop + resume equal to an uninterrupted run, and the series it writes.
#include "train/schedule.h"
#include "train/train_state.h"
#include "train/trainer.h"
#include "train_test_util.h"

#include "engine/weights.h"
#include "format/series.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>

using namespace chrysalis;
using namespace chrysalis::train;
namespace fs = std::filesystem;

namespace {

TrainConfig sasConfig(const fs::path& data, Schedule s, double lambda) {
  auto c = test::tinyConfig(data);
  c.schedule = s;
  c.lambda = lambda;
  c.warmupSteps = 0; // so that the first step moves the weights
  c.model.hiddenDropoutProb = 0;
  c.model.attentionProbsDropoutProb = 0;
  return c;
}

std::vector<fs::path> checkpointFiles(const fs::path& series) {
  std::vector<fs::path> files;
  for (const auto& c : format::listSeries(series).checkpoints)
    files.push_back(c.path);
  return files;
}

} // namespace

TEST(Trainer, SasMinusLowersAndSasPlusRaisesAttentionOnGoldPairs) {
  CHRYSALIS_REQUIRE_SHARED_DATA();
  test::ScratchDir dir;
  auto data = test::ewtSlice(dir, 100);
  double mass[3];
  double start = 0;
  const double lambdas[3] = {1.0, 0.0, -1.0};
  const Schedule schedules[3] = {Schedule::SasMinus, Schedule::Baseline, Schedule::SasPlus};
  for (int k = 0; k < 3; ++k) {
    auto t = Trainer::create(sasConfig(data, schedules[k], lambdas[k]), {});
    auto batch = t->microBatch(0); // what step 0 trains on
    ASSERT_GT(batch.pairCount(), 10);
    if (k == 1) start = t->syntacticMass(batch);
    auto st = t->step();
    EXPECT_EQ(st.attentionsRequested, lambdas[k] != 0.0);
    if (lambdas[k] != 0.0)
      EXPECT_GT(st.regLoss, 0.0);
    else
      EXPECT_EQ(st.regLoss, 0.0);
    mass[k] = t->syntacticMass(batch);
  }
  EXPECT_LT(mass[0], mass[1]) << "SAS− must lower the attention mass on gold pairs";
  EXPECT_GT(mass[2], mass[1]) << "SAS+ must raise it";
  EXPECT_LT(mass[0], start);
  EXPECT_GT(mass[2], start);
}

TEST(Trainer, SuppressUntilSwitchesLambdaOffAtN) {
  CHRYSALIS_REQUIRE_SHARED_DATA();
  test::ScratchDir dir;
  auto c = sasConfig(test::ewtSlice(dir, 100), Schedule::SasMinus, 0.01);
  c.suppressUntil = 3;
  c.steps = 5;
  c.checkpointSteps = {3};
  auto t = Trainer::create(c, dir / "run");
  std::vector<StepStats> stats;
  TrainerCallbacks cb;
  cb.onStep = [&](const StepStats& s) { stats.push_back(s); };
  ASSERT_TRUE(t->run(cb));
  ASSERT_EQ(stats.size(), 5u);
  for (size_t i = 0; i < stats.size(); ++i) {
    const bool on = i < 3;
    EXPECT_DOUBLE_EQ(stats[i].lambda, on ? 0.01 : 0.0) << "update from step " << i;
    EXPECT_EQ(stats[i].attentionsRequested, on) << "update from step " << i;
  }
  auto listing = format::listSeries(dir / "run", format::ReadExtras::Yes);
  EXPECT_DOUBLE_EQ(listing.find(0)->extra.at("lambda"), 0.01);
  EXPECT_DOUBLE_EQ(listing.find(3)->extra.at("lambda"), 0.0);
  EXPECT_GT(listing.find(3)->extra.at("reg_loss"), 0.0);
}

TEST(Trainer, WritesASeriesThatListsAndLoads) {
  CHRYSALIS_REQUIRE_SHARED_DATA();
  test::ScratchDir dir;
  auto c = test::tinyConfig(test::ewtSlice(dir, 120));
  c.steps = 6;
  c.checkpointEvery = 3;
  c.schedule = Schedule::SasMinus;
  c.lambda = 0.01;
  c.weightsDType = format::DType::F16;
  auto t = Trainer::create(c, dir / "run");
  std::vector<int64_t> seen;
  TrainerCallbacks cb;
  cb.onCheckpoint = [&](const CheckpointEvent& e) {
    EXPECT_TRUE(fs::exists(e.path));
    seen.push_back(e.step);
  };
  ASSERT_TRUE(t->run(cb));
  EXPECT_EQ(seen, (std::vector<int64_t>{0, 3, 6}));

  auto listing = format::listSeries(dir / "run", format::ReadExtras::Yes);
  EXPECT_TRUE(listing.problems.empty());
  ASSERT_EQ(listing.checkpoints.size(), 3u);
  EXPECT_EQ(listing.meta.model.vocabSize, static_cast<int64_t>(t->tokenizer().vocab().size()));
  EXPECT_EQ(listing.meta.training.at("lambda"), 0.01);
  EXPECT_EQ(listing.meta.training.at("schedule"), "sas-");
  EXPECT_EQ(listing.meta.training.at("data_records").size(), 1u);
  EXPECT_EQ(listing.meta.training.at("data_records")[0].at("fnv1a64").get<std::string>().size(),
            16u);
  EXPECT_FALSE(listing.meta.provenance.is_null());
  const auto& last = listing.checkpoints.back();
  EXPECT_EQ(last.step, 6);
  EXPECT_GT(last.tokensSeen, 6 * 8 * 3);
  EXPECT_GT(last.wallTime, 0.0);
  EXPECT_DOUBLE_EQ(last.learningRate, learningRateAt(c, 6));
  ASSERT_TRUE(last.trainLoss.has_value());
  EXPECT_TRUE(std::isfinite(*last.trainLoss));
  EXPECT_TRUE(last.extra.count("mlm_loss") && last.extra.count("reg_loss") &&
              last.extra.count("lambda"));
  EXPECT_NEAR(*last.trainLoss, last.extra.at("mlm_loss") + 0.01 * last.extra.at("reg_loss"), 1e-9);
  EXPECT_FALSE(listing.checkpoints.front().trainLoss.has_value()); // step 0: nothing trained yet
  engine::BertForMaskedLM model(listing.meta.model);
  for (const auto& ck : listing.checkpoints)
    EXPECT_NO_THROW(engine::loadWeights(model, ck.path));
  format::CheckpointReader r(last.path);
  EXPECT_EQ(r.tensor("cls.predictions.bias").dtype, format::DType::F16);
  // Only the newest resume state is kept.
  EXPECT_EQ(completeStateSteps(dir / "run"), (std::vector<int64_t>{6}));
}

TEST(Trainer, SameSeedSameCheckpointsAndStopResumeEqualsUninterrupted) {
  CHRYSALIS_REQUIRE_SHARED_DATA();
  test::ScratchDir dir;
  auto c = test::tinyConfig(test::ewtSlice(dir, 150));
  c.steps = 12;
  c.checkpointEvery = 4;
  c.schedule = Schedule::SasPlus;
  c.lambda = -0.01;
  ASSERT_TRUE(Trainer::create(c, dir / "a")->run());
  ASSERT_TRUE(Trainer::create(c, dir / "b")->run());
  auto a = checkpointFiles(dir / "a"), b = checkpointFiles(dir / "b");
  ASSERT_EQ(a.size(), 4u);
  ASSERT_EQ(b.size(), 4u);
  for (size_t i = 0; i < a.size(); ++i)
    EXPECT_TRUE(test::sameWeights(a[i], b[i]));

  // Stop after step 6 (off the cadence): a checkpoint + state are written there.
  std::atomic<bool> stop{false};
  {
    auto t = Trainer::create(c, dir / "c");
    TrainerCallbacks cb;
    cb.onStep = [&](const StepStats& s) {
      if (s.step == 5) stop = true;
    };
    EXPECT_FALSE(t->run(cb, &stop));
    EXPECT_EQ(t->currentStep(), 6);
  }
  auto resumed = Trainer::resume(dir / "c");
  EXPECT_EQ(resumed->currentStep(), 6);
  ASSERT_TRUE(resumed->run());
  auto listing = format::listSeries(dir / "c");
  for (int64_t s : {8, 12})
    EXPECT_TRUE(test::sameWeights(format::checkpointPath(dir / "a", s), listing.find(s)->path))
        << s;
  EXPECT_EQ(listing.find(12)->tokensSeen, format::listSeries(dir / "a").find(12)->tokensSeen);

  // A different seed gives different weights.
  c.seed = 2;
  ASSERT_TRUE(Trainer::create(c, dir / "d")->run());
  EXPECT_FALSE(test::sameWeights(a.back(), checkpointFiles(dir / "d").back()));
}
