// `chrysalis-cli train` against faults around it (issue 19): two trainers
// racing into one folder, a reader that closes the pipe, a resumed series
// whose checkpoints/ leads out of it, a FIFO under a resume state's name.
#include "train/run_lock.h"
#include "train/train_state.h"
#include "train_test_util.h"

#include "format/series.h"

#include <gtest/gtest.h>

#include <future>

using namespace chrysalis;
namespace fs = std::filesystem;

namespace {

class TrainFaults : public test::TrainCliFixture {
protected:
  std::string train(const fs::path& out, const std::string& extra) const {
    return trainCommand(out, extra);
  }
  // A run stopped (exit 86) right after its step-4 state was written.
  void stoppedAtStep4(const fs::path& run) {
    std::string out;
    ASSERT_EQ(test::runCommand("CHRYSALIS_TEST_ABORT_AT=4:after-state " +
                                   train(run, "--steps 12 --checkpoint-every 4 --seed 3"),
                               &out),
              86)
        << out;
  }
};

} // namespace

// Two fresh runs of different seeds into one folder, three times: exactly
// one runs, the other fails at once naming the folder; the series holds one
// seed's checkpoints. A lock file left behind (its process gone) blocks nothing.
TEST_F(TrainFaults, TwoTrainersIntoOneFolderExactlyOneRuns) {
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE(round);
    const fs::path run = m_dir / ("run" + std::to_string(round));
    auto start = [&](int seed) {
      return std::async(std::launch::async, [&, seed] {
        std::string out;
        const int rc = test::runCommand(
            train(run, "--steps 8 --checkpoint-every 4 --seed " + std::to_string(seed)), &out);
        return std::pair{rc, out};
      });
    };
    auto a = start(1), b = start(2);
    const auto ra = a.get(), rb = b.get();
    EXPECT_EQ((ra.first == 0) + (rb.first == 0), 1) << ra.second << "\n---\n" << rb.second;
    const auto& loser = ra.first == 0 ? rb : ra;
    EXPECT_EQ(loser.first, 1) << loser.second;
    EXPECT_TRUE(loser.second.find("another chrysalis-cli train is writing this series") !=
                    std::string::npos ||
                loser.second.find("already exists") != std::string::npos)
        << loser.second;
    const auto listing = format::listSeries(run);
    EXPECT_EQ(listing.checkpoints.size(), 3u);
    const uint64_t seed = listing.meta.training.at("seed").get<uint64_t>();
    EXPECT_EQ(seed, ra.first == 0 ? 1u : 2u);
  }
  // The lock file stays after a run; it does not block the next one.
  const fs::path stale = m_dir / "stale";
  fs::create_directories(stale);
  std::ofstream(stale / train::kRunLockFile) << "12345\n";
  std::string out;
  EXPECT_EQ(test::runCommand(train(stale, "--steps 2 --seed 3"), &out), 0) << out;
}

// `train --json | head -1`: the reader goes away after the first line. The
// trainer (SIGPIPE ignored) sees EPIPE, finishes its step, writes a
// checkpoint and a resume state and exits 130, as on Ctrl-C.
TEST_F(TrainFaults, ClosedStdoutStopsTheRunLikeAnInterrupt) {
  const fs::path run = m_dir / "run";
  std::string out;
  const int rc = test::runCommand(
      "bash -c '" +
          train(run, "--steps 1000000 --checkpoint-every 1000000 --json --log-every 1 --seed 3") +
          " 2>" + (m_dir / "err.txt").string() + " | head -1; exit ${PIPESTATUS[0]}'",
      &out);
  ASSERT_EQ(rc, 130) << out;
  EXPECT_NE(out.find("\"event\":\"start\""), std::string::npos) << out;
  const auto listing = format::listSeries(run);
  ASSERT_EQ(listing.checkpoints.size(), 2u);
  const int64_t at = listing.checkpoints.back().step;
  EXPECT_GT(at, 0);
  EXPECT_EQ(train::completeStateSteps(run), (std::vector<int64_t>{at}));
}

// A resumed series whose checkpoints/ was replaced by a link out of it: the
// next checkpoint is refused, and nothing new appears in the outside folder.
TEST_F(TrainFaults, ResumeRefusesCheckpointsLinkedOutOfTheSeries) {
  const fs::path run = m_dir / "run", outside = m_dir / "outside";
  stoppedAtStep4(run);
  fs::rename(run / "checkpoints", outside);
  fs::create_directory_symlink(outside, run / "checkpoints");
  const auto before = std::distance(fs::directory_iterator(outside), fs::directory_iterator());
  std::string out;
  EXPECT_EQ(test::runCommand(resume(run), &out), 1) << out;
  EXPECT_NE(out.find("checkpoints"), std::string::npos) << out;
  EXPECT_NE(out.find("leads outside the series folder"), std::string::npos) << out;
  EXPECT_EQ(std::distance(fs::directory_iterator(outside), fs::directory_iterator()), before);
}

// A FIFO under the resume state's name: refused at once, not read forever.
TEST_F(TrainFaults, ResumeRefusesAFifoAsTrainingState) {
  const fs::path run = m_dir / "run";
  stoppedAtStep4(run);
  const fs::path state = train::stateTensorPath(run, 4);
  fs::remove(state);
  test::makeFifo(state);
  std::string out;
  EXPECT_EQ(test::runCommand("timeout 60 " + resume(run), &out), 1) << out;
  EXPECT_NE(out.find(state.string()), std::string::npos) << out;
  EXPECT_NE(out.find("FIFO"), std::string::npos) << out;
}
