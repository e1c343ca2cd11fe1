// `chrysalis-cli train` end to end: a tiny run with JSON events, resume
// after the process dies at every phase of a checkpoint write and after
// kill -9 at random moments, lengthening on resume, SIGINT, bad input, and two-process data
// parallelism against one process with gradient accumulation.
#include "train/train_state.h"
#include "train_test_util.h"

#include "format/series.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <future>
#include <random>
#include <sstream>

using namespace chrysalis;
namespace fs = std::filesystem;

namespace {

class TrainCli : public test::TrainCliFixture {
protected:
  std::string train(const fs::path& out, const std::string& extra) const {
    return trainCommand(out, "--seed 3 " + extra);
  }
  static std::vector<nlohmann::json> events(const std::string& output) {
    std::vector<nlohmann::json> out;
    std::istringstream in(output);
    std::string line;
    while (std::getline(in, line))
      if (!line.empty() && line[0] == '{') out.push_back(nlohmann::json::parse(line));
    return out;
  }
  static bool hasTemporaries(const fs::path& series) {
    for (const auto& dir : {series / "checkpoints", series / train::kStateDir})
      for (const auto& e : fs::directory_iterator(dir))
        if (e.path().filename().string().find(".tmp-") != std::string::npos) return true;
    return false;
  }
};

} // namespace

TEST_F(TrainCli, TinyRunWritesASeriesAndJsonEvents) {
  std::string out;
  ASSERT_EQ(
      test::runCommand(train(m_dir / "run", "--steps 12 --checkpoint-every 6 --json --log-every 4 "
                                            "--schedule sas- --lambda 0.01"),
                       &out),
      0)
      << out;
  auto ev = events(out);
  ASSERT_GE(ev.size(), 3u) << out;
  EXPECT_EQ(ev.front().at("event"), "start");
  EXPECT_EQ(ev.back().at("event"), "done");
  std::vector<int64_t> steps, checkpoints;
  for (const auto& e : ev) {
    if (e.at("event") == "step") {
      steps.push_back(e.at("step"));
      EXPECT_GT(e.at("mlm_loss").get<double>(), 0.0);
      EXPECT_GT(e.at("reg_loss").get<double>(), 0.0);
      EXPECT_TRUE(e.contains("tokens_per_s") && e.contains("eta_s") && e.contains("learning_rate"));
    }
    if (e.at("event") == "checkpoint") {
      checkpoints.push_back(e.at("step"));
      EXPECT_TRUE(fs::exists(e.at("path").get<std::string>()));
    }
  }
  EXPECT_EQ(steps, (std::vector<int64_t>{4, 8, 12}));
  EXPECT_EQ(checkpoints, (std::vector<int64_t>{0, 6, 12}));
  auto listing = format::listSeries(m_dir / "run");
  EXPECT_EQ(listing.checkpoints.size(), 3u);
  EXPECT_NE(listing.meta.training.at("command_line").get<std::string>().find("--lambda 0.01"),
            std::string::npos);
  EXPECT_EQ(listing.meta.training.at("preset"), "tiny");
  // The series refuses to be overwritten.
  EXPECT_EQ(test::runCommand(train(m_dir / "run", "--steps 2"), &out), 1);
  EXPECT_NE(out.find("already exists"), std::string::npos) << out;
}

// One run dies at a different phase of each checkpoint write (steps 4, 8,
// ..., 20), resuming in between; every checkpoint must equal the reference's.
TEST_F(TrainCli, ResumeAfterDyingAtEveryPhaseOfACheckpointEqualsAnUninterruptedRun) {
  const std::string args = "--steps 24 --checkpoint-every 4 --schedule sas- --lambda 0.01";
  auto reference = std::async(std::launch::async, [&] {
    std::string out;
    return std::pair{test::runCommand(train(m_dir / "ref", args), &out), out};
  });
  const fs::path run = m_dir / "run";
  std::string out;
  int step = 4;
  for (const char* phase : {"before-checkpoint", "after-checkpoint", "state-tensors-written",
                            "after-state-tensors", "after-state"}) {
    SCOPED_TRACE(phase);
    const std::string env = "CHRYSALIS_TEST_ABORT_AT=" + std::to_string(step) + ":" + phase + " ";
    ASSERT_EQ(test::runCommand(env + (step == 4 ? train(run, args) : resume(run)), &out), 86)
        << out;
    auto listing = format::listSeries(run);
    const bool published = std::string(phase) != "before-checkpoint";
    EXPECT_EQ(listing.find(step) != nullptr, published);
    step += 4;
  }
  ASSERT_EQ(test::runCommand(resume(run), &out), 0) << out;
  EXPECT_FALSE(hasTemporaries(run));
  auto ref = reference.get();
  ASSERT_EQ(ref.first, 0) << ref.second;
  EXPECT_EQ(format::listSeries(run).checkpoints.size(), 7u);
  for (int64_t s = 4; s <= 24; s += 4)
    EXPECT_TRUE(
        test::sameWeights(format::checkpointPath(m_dir / "ref", s), format::checkpointPath(run, s)))
        << s;
}

// A run lengthened on resume (within its horizon) continues the recorded
// schedule: its checkpoints equal those of a run started with the longer
// --steps. Shortening, or passing the horizon, is refused.
TEST_F(TrainCli, ResumeWithMoreStepsEqualsARunStartedWithThem) {
  const std::string args = "--horizon 24 --checkpoint-every 4 --schedule sas- --lambda 0.01 ";
  auto reference = std::async(std::launch::async, [&] {
    std::string out;
    return std::pair{test::runCommand(train(m_dir / "ref", args + "--steps 24"), &out), out};
  });
  const fs::path run = m_dir / "run";
  std::string out;
  ASSERT_EQ(test::runCommand(train(run, args + "--steps 12"), &out), 0) << out;
  EXPECT_EQ(test::runCommand(resume(run) + " --steps 8", &out), 1);
  EXPECT_NE(out.find("not shortened"), std::string::npos) << out;
  EXPECT_EQ(test::runCommand(resume(run) + " --steps 40", &out), 1);
  EXPECT_NE(out.find("horizon (24)"), std::string::npos) << out;
  EXPECT_EQ(format::listSeries(run).meta.training.at("steps"), 12);

  ASSERT_EQ(test::runCommand(resume(run) + " --steps 24", &out), 0) << out;
  auto ref = reference.get();
  ASSERT_EQ(ref.first, 0) << ref.second;
  const auto listing = format::listSeries(run);
  EXPECT_EQ(listing.checkpoints.size(), format::listSeries(m_dir / "ref").checkpoints.size());
  for (int64_t s = 4; s <= 24; s += 4)
    EXPECT_TRUE(
        test::sameWeights(format::checkpointPath(m_dir / "ref", s), format::checkpointPath(run, s)))
        << s;
  EXPECT_EQ(listing.meta.training.at("steps"), 24);
  const auto& extended = listing.meta.provenance.at("extended");
  ASSERT_EQ(extended.size(), 1u);
  EXPECT_EQ(extended[0].at("from_steps"), 12);
  EXPECT_EQ(extended[0].at("to_steps"), 24);
  EXPECT_NE(extended[0].at("command_line").get<std::string>().find("--steps 24"),
            std::string::npos);
  // Resuming the finished, lengthened run has nothing left to do.
  ASSERT_EQ(test::runCommand(resume(run), &out), 0) << out;
  EXPECT_EQ(format::listSeries(run).checkpoints.size(), listing.checkpoints.size());
}

// train --densify: the stretch 20..40 of a run that kept the states of
// steps 0, 20 and 40 (--keep-states every:20) re-run with a checkpoint every
// 5 steps. The new checkpoints are the ones an uninterrupted run with that
// cadence writes, bit for bit; where both have a checkpoint (30, 40) the
// re-run is checked against the original and found identical. A stretch
// before the first kept state resumes from step 0.
TEST_F(TrainCli, DensifyAddsTheCheckpointsTheRunItselfWouldHaveWritten) {
  auto reference = std::async(std::launch::async, [&] {
    std::string out;
    return std::pair{
        test::runCommand(train(m_dir / "ref", "--steps 40 --checkpoint-every 5"), &out), out};
  });
  const fs::path run = m_dir / "run";
  std::string out;
  ASSERT_EQ(
      test::runCommand(train(run, "--steps 40 --checkpoint-every 10 --keep-states every:20"), &out),
      0)
      << out;
  EXPECT_NE(out.find("keeping the resume states of 3 checkpoints (every:20)"), std::string::npos)
      << out;
  EXPECT_EQ(train::completeStateSteps(run), (std::vector<int64_t>{0, 20, 40}));
  const std::string densify =
      test::cliPath().string() + " train --threads 1 --densify " + run.string();
  ASSERT_EQ(test::runCommand(densify + " --from 20 --to 40 --every 5", &out), 0) << out;
  EXPECT_NE(out.find("resumed from the state at step 20"), std::string::npos) << out;
  EXPECT_NE(out.find("bit for bit at the steps both have: 30,40"), std::string::npos) << out;
  auto ref = reference.get();
  ASSERT_EQ(ref.first, 0) << ref.second;
  for (int64_t s = 20; s <= 40; s += 5)
    EXPECT_TRUE(
        test::sameWeights(format::checkpointPath(m_dir / "ref", s), format::checkpointPath(run, s)))
        << s;
  auto meta = format::readSeriesMeta(run);
  const auto& record = meta.provenance.at("densified");
  ASSERT_EQ(record.size(), 1u);
  EXPECT_EQ(record[0].at("added"), nlohmann::json::parse("[25,35]"));
  EXPECT_EQ(record[0].at("matched"), nlohmann::json::parse("[30,40]"));
  EXPECT_EQ(record[0].at("resumed_from"), 20);
  EXPECT_FALSE(fs::exists(run / ".densify-work"));
  // `info` marks them, in text and JSON.
  ASSERT_EQ(test::runCommand(test::cliPath().string() + " info " + run.string(), &out), 0) << out;
  EXPECT_NE(out.find("yes (densified)"), std::string::npos) << out;
  ASSERT_EQ(test::runCommand(test::cliPath().string() + " info --json " + run.string(), &out), 0);
  for (const auto& c : nlohmann::json::parse(out).at("checkpoints"))
    EXPECT_EQ(c.at("densified").get<bool>(), c.at("step") == 25 || c.at("step") == 35) << c;
  EXPECT_FALSE(hasTemporaries(run));

  // Before any kept state but step 0's: from the start.
  ASSERT_EQ(test::runCommand(densify + " --from 5 --to 15 --every 5", &out), 0) << out;
  EXPECT_NE(out.find("resumed from the state at step 0"), std::string::npos) << out;
  EXPECT_TRUE(test::sameWeights(format::checkpointPath(m_dir / "ref", 15),
                                format::checkpointPath(run, 15)));
  EXPECT_EQ(format::readSeriesMeta(run).provenance.at("densified").size(), 2u);

  // Refused: configuration flags, a stretch outside the run, no --every.
  EXPECT_EQ(test::runCommand(densify + " --from 5 --to 15 --every 5 --steps 80", &out), 1);
  EXPECT_NE(out.find("only --from, --to, --every"), std::string::npos) << out;
  EXPECT_EQ(test::runCommand(densify + " --from 30 --to 50 --every 5", &out), 1);
  EXPECT_NE(out.find("to <= 40"), std::string::npos) << out;
  EXPECT_EQ(test::runCommand(densify + " --from 30 --to 40", &out), 1);
  EXPECT_NE(out.find("--every"), std::string::npos) << out;
  // Training text changed since the run: refused, and no work folder is left.
  {
    std::ofstream more(m_data, std::ios::app);
    more << "One more line .\n";
  }
  EXPECT_EQ(test::runCommand(densify + " --from 20 --to 40 --every 5", &out), 1);
  EXPECT_NE(out.find("changed since the run started"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(run / ".densify-work"));
}

// kill -9 at random moments (the start, training, checkpoint writes), twice
// per trial, then a resume that runs to the end.
TEST_F(TrainCli, ResumeAfterKillNineAtRandomMomentsEqualsAnUninterruptedRun) {
  const std::string args = "--steps 150 --checkpoint-every 10";
  auto reference = std::async(std::launch::async, [&] {
    std::string out;
    return std::pair{test::runCommand(train(m_dir / "ref", args), &out), out};
  });
  struct Outcome {
    int rc = -1, kills = 0;
    std::string output;
  };
  constexpr int kTrials = 2;
  std::vector<std::future<Outcome>> trials;
  for (int trial = 0; trial < kTrials; ++trial)
    trials.push_back(std::async(std::launch::async, [&, trial] {
      std::mt19937 rng(1000 + static_cast<unsigned>(trial));
      std::uniform_real_distribution<double> when(0.8, 3.0);
      const fs::path run = m_dir / ("run-" + std::to_string(trial));
      Outcome o;
      for (int attempt = 0; o.rc != 0 && attempt < 4; ++attempt) {
        const std::string kill =
            attempt < 2 ? "timeout -s KILL " + std::to_string(when(rng)) + " " : "";
        // Killed before the series existed: start it again.
        const bool fresh = !fs::exists(run / "series.json");
        o.rc = test::runCommand(kill + (fresh ? train(run, args) : resume(run)), &o.output);
        o.kills += o.rc == 137;
        if (o.rc != 0 && o.rc != 137) break;
      }
      return o;
    }));
  auto ref = reference.get();
  ASSERT_EQ(ref.first, 0) << ref.second;
  int kills = 0;
  for (int trial = 0; trial < kTrials; ++trial) {
    SCOPED_TRACE(trial);
    const Outcome o = trials[static_cast<size_t>(trial)].get();
    ASSERT_EQ(o.rc, 0) << o.output;
    kills += o.kills;
    const fs::path run = m_dir / ("run-" + std::to_string(trial));
    EXPECT_FALSE(hasTemporaries(run));
    for (int64_t s : {50, 100, 150})
      EXPECT_TRUE(test::sameWeights(format::checkpointPath(m_dir / "ref", s),
                                    format::checkpointPath(run, s)))
          << s;
  }
  EXPECT_GT(kills, 0);
  RecordProperty("kills", kills);
}

TEST_F(TrainCli, SigintFinishesTheStepWritesACheckpointAndExits130) {
  std::string out;
  // SIGINT once training runs (its first checkpoint exists), however slow the
  // start-up (sanitizer builds take seconds to get there).
  const std::string first = (m_dir / "run/checkpoints/step-0000000000.h5").string();
  const int rc = test::runCommand(
      "bash -c '" + train(m_dir / "run", "--steps 1000000 --checkpoint-every 1000000") +
          " & pid=$!; for i in $(seq 1 1200); do [ -f " + first +
          " ] && break; sleep 0.1; done; sleep 0.5; kill -INT $pid; wait $pid'",
      &out);
  ASSERT_EQ(rc, 130) << out;
  auto listing = format::listSeries(m_dir / "run");
  ASSERT_EQ(listing.checkpoints.size(), 2u) << out;
  const int64_t at = listing.checkpoints.back().step;
  EXPECT_GT(at, 0);
  EXPECT_EQ(train::completeStateSteps(m_dir / "run"), (std::vector<int64_t>{at}));
}

TEST_F(TrainCli, BadInputSaysWhatAndWhere) {
  std::string out;
  EXPECT_EQ(test::runCommand(test::cliPath().string() + " train " + (m_dir / "a").string() +
                                 " --preset huge --data " + m_data.string(),
                             &out),
            1);
  EXPECT_NE(out.find("--preset"), std::string::npos) << out;
  EXPECT_EQ(test::runCommand(test::cliPath().string() + " train " + (m_dir / "c").string() +
                                 " --preset tiny --data " + (m_dir / "missing.conllu").string(),
                             &out),
            1);
  EXPECT_NE(out.find("missing.conllu"), std::string::npos) << out;
  // A resumed run keeps its configuration; changed data is refused.
  ASSERT_EQ(test::runCommand(train(m_dir / "d", "--steps 2"), &out), 0) << out;
  EXPECT_EQ(test::runCommand(resume(m_dir / "d") + " --lambda 0.1", &out), 1);
  EXPECT_NE(out.find("--resume"), std::string::npos) << out;
  std::ofstream(m_data, std::ios::app) << "\n";
  EXPECT_EQ(test::runCommand(resume(m_dir / "d"), &out), 1);
  EXPECT_NE(out.find(m_data.filename().string()), std::string::npos) << out;
  EXPECT_NE(out.find("changed"), std::string::npos) << out;
}

TEST_F(TrainCli, TwoProcessDataParallelEqualsOneProcessWithAccumulation) {
  const std::string args = "--steps 4 --checkpoint-every 2 --batch 4 --schedule sas- --lambda 0.01";
  std::string out;
  ASSERT_EQ(test::runCommand(train(m_dir / "single", args + " --grad-accum 2"), &out), 0) << out;
  const int port = 20000 + static_cast<int>(std::random_device{}() % 30000);
  auto rank = [&](int r) {
    return "RANK=" + std::to_string(r) +
           " WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=" + std::to_string(port) + " " +
           train(m_dir / "ddp", args);
  };
  const int rc = test::runCommand("(" + rank(0) + ") & a=$!; (" + rank(1) +
                                      ") & b=$!; wait $a; ra=$?; wait $b; rb=$?; "
                                      "exit $((ra | rb))",
                                  &out);
  ASSERT_EQ(rc, 0) << out;
  auto listing = format::listSeries(m_dir / "ddp");
  ASSERT_EQ(listing.checkpoints.size(), 3u);
  EXPECT_EQ(listing.meta.training.at("world_size"), 2);
  EXPECT_EQ(listing.meta.training.at("global_batch"), 8);
  for (int64_t s : {2, 4}) {
    const double diff = test::maxWeightDifference(format::checkpointPath(m_dir / "single", s),
                                                  format::checkpointPath(m_dir / "ddp", s));
    EXPECT_LE(diff, 1e-6) << "step " << s;
    EXPECT_EQ(listing.find(s)->tokensSeen,
              format::listSeries(m_dir / "single").find(s)->tokensSeen);
  }
}
