// chrysalis-cli end to end: info, attention and import-hf on the tiny
// PyTorch-made fixture, and the exit codes / one-line errors for bad input.
#include "cli_test_util.h"
#include "format/engine_events.h"
#include "format/h5.h"
#include "format/series.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <random>
#include <sstream>
#include <thread>

using namespace chrysalis;
namespace fs = std::filesystem;

namespace {

using test::cli;

struct Cli : ::testing::Test {
  void SetUp() override {
    if (test::cliPath().empty()) GTEST_SKIP() << "chrysalis-cli not built";
    test::writeTinyVocab(dir / "vocab.txt");
    series = dir / "series";
    auto fx = test::fixtures() / "tiny-bert";
    ASSERT_EQ(run("import-hf " + (fx / "checkpoint-100").string() + " " +
                  (fx / "checkpoint-300").string() + " --vocab " + (dir / "vocab.txt").string() +
                  " --out " + series.string()),
              0)
        << output;
  }
  int run(const std::string& args) { return test::runCommand(cli() + " " + args, &output); }
  // Error output must be one line naming `fragment`.
  void expectOneLineError(const std::string& args, const std::string& fragment) {
    std::string err;
    int rc = test::runCommand("(" + cli() + " " + args + " 2>&1 >/dev/null)", &err);
    EXPECT_NE(rc, 0) << args;
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
    EXPECT_NE(err.find(fragment), std::string::npos) << err;
  }
  test::ScratchDir dir;
  fs::path series;
  std::string output;
};

} // namespace

TEST_F(Cli, InfoJsonListsCheckpointsAndConfig) {
  ASSERT_EQ(run("info --json " + series.string() + " 2>/dev/null"), 0) << output;
  auto j = nlohmann::json::parse(output);
  EXPECT_EQ(j["model_config"]["hidden_size"], 32);
  ASSERT_EQ(j["checkpoints"].size(), 2u);
  EXPECT_EQ(j["checkpoints"][0]["step"], 100);
  EXPECT_EQ(j["checkpoints"][1]["step"], 300);
  EXPECT_TRUE(j["problems"].empty());
}

TEST_F(Cli, InfoStillListsWhenACheckpointIsDamaged) {
  std::mt19937 rng(1);
  std::string junk(4096, '\0');
  for (auto& c : junk)
    c = static_cast<char>(rng());
  std::ofstream(format::checkpointPath(series, 200), std::ios::binary) << junk;
  ASSERT_EQ(run("info " + series.string()), 0) << output;
  EXPECT_NE(output.find("step-0000000200.h5"), std::string::npos) << output;
  EXPECT_NE(output.find("checkpoints 2"), std::string::npos) << output;
}

TEST_F(Cli, AttentionWritesEveryDataset) {
  fs::path out = dir / "a.h5";
  ASSERT_EQ(
      run("attention " + series.string() + " --step 100 --ids 2,7,9,11,3 --out " + out.string()), 0)
      << output;
  auto f = h5::openRead(out);
  EXPECT_EQ(h5::datasetInfo(f, "input_ids").shape, (std::vector<int64_t>{5}));
  EXPECT_EQ(h5::datasetInfo(f, "attention").shape, (std::vector<int64_t>{2, 4, 5, 5}));
  EXPECT_EQ(h5::datasetInfo(f, "hidden_states").shape, (std::vector<int64_t>{3, 5, 32}));
  EXPECT_EQ(h5::datasetInfo(f, "logits").shape, (std::vector<int64_t>{5, 64}));
  auto tokens = h5::readStrings(f, "tokens", 100);
  EXPECT_EQ(tokens.front(), "[CLS]");
  EXPECT_EQ(tokens[1], "tok7");
  // Each attention row is a probability distribution.
  auto info = h5::datasetInfo(f, "attention");
  std::vector<float> a(static_cast<size_t>(info.elementCount()));
  h5::readDatasetRaw(f, "attention", info, a.data(), a.size() * 4);
  for (size_t row = 0; row < a.size() / 5; ++row) {
    float s = 0;
    for (size_t k = 0; k < 5; ++k)
      s += a[row * 5 + k];
    EXPECT_NEAR(s, 1.0f, 1e-5f);
  }
}

TEST_F(Cli, AttentionTokenizesText) {
  fs::path out = dir / "t.h5";
  ASSERT_EQ(run("attention " + series.string() +
                " --step 300 --text \"tok5 tok6 unknownword\" --out " + out.string()),
            0)
      << output;
  auto tokens = h5::readStrings(h5::openRead(out), "tokens", 100);
  EXPECT_EQ(tokens, (std::vector<std::string>{"[CLS]", "tok5", "tok6", "[UNK]", "[SEP]"}));
}

TEST_F(Cli, BadInputGivesOneLineAndNonZeroExit) {
  test::ScratchDir empty;
  expectOneLineError("info " + empty.path().string(), "no series.json");
  expectOneLineError("attention " + series.string() + " --step 555 --ids 2,3 --out " +
                         (dir / "x.h5").string(),
                     "no such checkpoint");
  expectOneLineError("attention " + series.string() + " --step 100 --ids 2,99,3 --out " +
                         (dir / "x.h5").string(),
                     "outside the vocabulary");
  // A truncated checkpoint: the error names the file.
  fs::resize_file(format::checkpointPath(series, 300), 3000);
  expectOneLineError("attention " + series.string() + " --step 300 --ids 2,3 --out " +
                         (dir / "x.h5").string(),
                     "step-0000000300.h5");
  EXPECT_FALSE(fs::exists(dir / "x.h5"));
  // Random bytes named .h5.
  std::ofstream(format::checkpointPath(series, 100), std::ios::binary | std::ios::trunc)
      << "garbage bytes";
  expectOneLineError("attention " + series.string() + " --step 100 --ids 2,3 --out " +
                         (dir / "x.h5").string(),
                     "not a readable HDF5 file");
}

TEST_F(Cli, VersionAndHelp) {
  ASSERT_EQ(run("--version"), 0);
  EXPECT_NE(output.find("chrysalis-cli"), std::string::npos);
  ASSERT_EQ(run("attention --help"), 0);
  EXPECT_NE(output.find("Example"), std::string::npos);
}

TEST_F(Cli, ProbeSetBuildNamesSkippedSentencesAndRefusesAnEmptySet) {
  // One valid 3-word sentence and one whose head points past the sentence.
  std::ofstream conllu(dir / "mixed.conllu");
  conllu << "# sent_id = good\n"
            "1\ttok5\t_\tNOUN\t_\t_\t2\tnsubj\t_\t_\n"
            "2\ttok6\t_\tVERB\t_\t_\t0\troot\t_\t_\n"
            "3\ttok7\t_\tNOUN\t_\t_\t2\tobj\t_\t_\n\n"
            "# sent_id = bad\n"
            "1\ttok5\t_\tNOUN\t_\t_\t9\tnsubj\t_\t_\n"
            "2\ttok6\t_\tVERB\t_\t_\t0\troot\t_\t_\n\n";
  conllu.close();
  const std::string vocab = (dir / "vocab.txt").string();
  std::string err;
  EXPECT_EQ(test::runCommand("(" + cli() + " probe-set build --conllu " +
                                 (dir / "mixed.conllu").string() + " --vocab " + vocab + " --out " +
                                 (dir / "p.h5").string() + " 2>&1 >/dev/null)",
                             &err),
            0);
  EXPECT_NE(err.find("mixed.conllu: line 7: HEAD 9"), std::string::npos)
      << err; // the bad word's line
  EXPECT_TRUE(fs::exists(dir / "p.h5"));

  // No sentence long enough: an error, and no file written.
  std::ofstream shortOnly(dir / "short.conllu");
  shortOnly << "1\ttok5\t_\tNOUN\t_\t_\t0\troot\t_\t_\n\n";
  shortOnly.close();
  expectOneLineError("probe-set build --conllu " + (dir / "short.conllu").string() + " --vocab " +
                         vocab + " --min-words 4 --out " + (dir / "none.h5").string(),
                     "no sentence to probe with");
  EXPECT_FALSE(fs::exists(dir / "none.h5"));
}

// The documented exit codes (docs/guide.md): usage errors are 2 whatever CLI11's
// own code for them, --help and --version are 0.
TEST_F(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(run("info " + series.string() + " --no-such-option"), 2) << output;
  EXPECT_EQ(run("probe"), 2) << output; // required arguments missing
  EXPECT_EQ(run("no-such-command"), 2) << output;
  EXPECT_EQ(run("probe-set build --max-sentences x --conllu a --vocab b --out c"), 2)
      << output; // not a number
  EXPECT_EQ(run("--help"), 0);
  EXPECT_EQ(run("probe --help"), 0);
  EXPECT_EQ(run("--version"), 0);
  EXPECT_EQ(run("info /no/such/series"), 1) << output; // bad input, not usage
}

// --first-step: the checkpoint under the GUI's cursor is probed first (the
// newest with weights at or before the step given), then the rest in the
// chosen order. Twelve checkpoints (steps 0..1100) so coarse-to-fine differs
// from ascending in more than its first step.
TEST_F(Cli, ProbeFirstStepGoesFirstThenTheChosenOrder) {
  auto fx = test::fixtures() / "tiny-bert";
  std::string folders;
  for (int step = 0; step <= 1100; step += 100) {
    const fs::path d = dir / ("many/checkpoint-" + std::to_string(step));
    fs::create_directories(d);
    for (const char* f : {"config.json", "model.safetensors"})
      fs::copy_file(fx / "checkpoint-100" / f, d / f);
    folders += d.string() + " ";
  }
  const fs::path many = dir / "many-series";
  ASSERT_EQ(run("import-hf " + folders + "--vocab " + (dir / "vocab.txt").string() + " --out " +
                many.string()),
            0)
      << output;
  std::ofstream conllu(dir / "p.conllu");
  conllu << "1\ttok5\t_\tNOUN\t_\t_\t2\tnsubj\t_\t_\n"
            "2\ttok6\t_\tVERB\t_\t_\t0\troot\t_\t_\n"
            "3\ttok7\t_\tNOUN\t_\t_\t2\tobj\t_\t_\n\n";
  conllu.close();
  const fs::path probeSet = dir / "p.h5";
  ASSERT_EQ(run("probe-set build --conllu " + (dir / "p.conllu").string() + " --vocab " +
                (many / "vocab.txt").string() + " --out " + probeSet.string()),
            0)
      << output;

  // The step of each "step_done" event, in the order they came.
  auto probedOrder = [&](const std::string& options) {
    fs::remove_all(many / "probes"); // nothing cached: every checkpoint is computed
    std::vector<int64_t> steps;
    EXPECT_EQ(run("probe " + many.string() + " --probe-set " + probeSet.string() +
                  " --probes loss --json " + options + " 2>/dev/null"),
              0)
        << output;
    std::istringstream lines(output);
    for (std::string line; std::getline(lines, line);) {
      const auto e = nlohmann::json::parse(line);
      if (e["event"] == "step_done") steps.push_back(e["step"].get<int64_t>());
    }
    return steps;
  };
  using Steps = std::vector<int64_t>;
  EXPECT_EQ(probedOrder("--order coarse-to-fine"),
            (Steps{0, 1100, 800, 400, 200, 600, 1000, 100, 300, 500, 700, 900}));
  // Step 750 has no checkpoint: 700, the newest before it, goes first.
  EXPECT_EQ(probedOrder("--order coarse-to-fine --first-step 750"),
            (Steps{700, 0, 1100, 800, 400, 200, 600, 1000, 100, 300, 500, 900}));
  EXPECT_EQ(probedOrder("--order ascending --first-step 1100"),
            (Steps{1100, 0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000}));
  // Past the last checkpoint: the last.
  EXPECT_EQ(probedOrder("--order coarse-to-fine --first-step 5000").front(), 1100);
  EXPECT_EQ(
      run("probe " + many.string() + " --probe-set " + probeSet.string() + " --first-step -5"), 2)
      << output;
}

// A Hugging Face Trainer output folder (written by PyTorch in the test:
// tests/fixtures/write_torch_checkpoints.py) imports whole, and its
// log_history comes out of `metrics --train-log --csv`.
TEST_F(Cli, ImportHfTrainerFolderAndItsTrainingLog) {
  ASSERT_EQ(test::runCommand("/usr/bin/python3 " +
                                 (test::fixtures() / "write_torch_checkpoints.py").string() + " " +
                                 (dir / "w").string() + " 2>&1",
                             &output),
            0)
      << output;
  const fs::path s = dir / "from-trainer";
  ASSERT_EQ(run("import-hf " + (dir / "w/run").string() + " --out " + s.string()), 0) << output;
  EXPECT_EQ(format::listSeries(s).checkpoints.size(), 3u);
  ASSERT_EQ(run("metrics " + s.string() + " --train-log --csv"), 0) << output;
  std::istringstream lines(output);
  std::string header, first;
  std::getline(lines, header);
  std::getline(lines, first);
  EXPECT_EQ(header, "step,train_loss,learning_rate,grad_norm");
  EXPECT_EQ(first.rfind("10,3.9,", 0), 0u) << first;
  EXPECT_EQ(std::count(output.begin(), output.end(), '\n'), 31);
  // A series without a log says so in one line.
  expectOneLineError("metrics " + series.string() + " --train-log", "no training log");
}

// --watch follows a run that is still training: a checkpoint-N folder is
// imported once its trainer_state.json (the Trainer's last file) is there
// and nothing in it has changed for two seconds; SIGINT ends it cleanly.
TEST_F(Cli, ImportHfWatchFollowsARunWhileItTrains) {
  auto fx = test::fixtures() / "tiny-bert";
  const fs::path runDir = dir / "live";
  auto checkpoint = [&](int step, bool finished) {
    const fs::path d = runDir / ("checkpoint-" + std::to_string(step));
    fs::create_directories(d);
    for (const char* f : {"config.json", "model.safetensors"})
      fs::copy_file(fx / "checkpoint-100" / f, d / f, fs::copy_options::overwrite_existing);
    if (finished) std::ofstream(d / "trainer_state.json") << "{\"global_step\": " << step << "}";
  };
  fs::create_directories(runDir);
  test::writeTinyVocab(runDir /
                       "vocab.txt"); // the Trainer's tokenizer files sit beside its checkpoints
  checkpoint(100, true);
  const fs::path s = dir / "followed";
  ASSERT_EQ(
      std::system(("(" + cli() + " import-hf " + runDir.string() +
                   " --watch --poll 0.2 --json --out " + s.string() + " > " +
                   (dir / "events").string() + " 2> " + (dir / "log").string() + "; echo $? > " +
                   (dir / "rc").string() + ") & echo $! > " + (dir / "pid").string())
                      .c_str()),
      0);
  auto stepsAfter = [&](double seconds, size_t want) {
    for (int i = 0; i < seconds * 10; ++i) {
      std::error_code ec;
      if (fs::exists(s / "series.json", ec) && format::listSeries(s).checkpoints.size() >= want)
        break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    std::vector<int64_t> steps;
    std::error_code ec;
    if (fs::exists(s / "series.json", ec))
      for (const auto& c : format::listSeries(s).checkpoints)
        steps.push_back(c.step);
    return steps;
  };
  auto log = [&] {
    std::ifstream in(dir / "log");
    return std::string((std::istreambuf_iterator<char>(in)), {});
  };
  EXPECT_EQ(stepsAfter(20, 1), (std::vector<int64_t>{100})) << log();
  checkpoint(200, false); // being written: no trainer_state.json yet
  EXPECT_EQ(stepsAfter(4, 2), (std::vector<int64_t>{100}));
  std::ofstream(runDir / "checkpoint-200/trainer_state.json") << "{\"global_step\": 200}";
  EXPECT_EQ(stepsAfter(20, 2), (std::vector<int64_t>{100, 200}));

  std::ifstream pidFile(dir / "pid");
  long pid = 0;
  pidFile >> pid;
  ASSERT_GT(pid, 0);
  // The subshell's child is the CLI: signal the whole group of the subshell's children.
  std::system(("pkill -INT -P " + std::to_string(pid)).c_str());
  for (int i = 0; i < 100 && !fs::exists(dir / "rc"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::ifstream rc(dir / "rc");
  int code = -1;
  rc >> code;
  EXPECT_EQ(code, 0);
  std::ifstream events(dir / "events");
  int checkpoints = 0;
  for (std::string line; std::getline(events, line);) {
    auto e = format::parseEngineEvent(line);
    ASSERT_TRUE(e) << line;
    checkpoints += e->type == format::EngineEventType::Checkpoint;
  }
  EXPECT_EQ(checkpoints, 2);
}
