// chrysalis-cli against faults around it (issue 19): a vocabulary one line
// longer than vocab_size (attention, serve), a prober whose parent app is
// killed, SIGTERM to a running prober.
#include "cli_test_util.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace chrysalis;
namespace fs = std::filesystem;

namespace {

using test::cli;

// The tiny fixture imported as a series with `copies` checkpoints, and a
// probe set of `sentences` three-word sentences.
struct CliFaults : ::testing::Test {
  void SetUp() override {
    if (test::cliPath().empty()) GTEST_SKIP() << "chrysalis-cli not built";
    test::writeTinyVocab(dir / "vocab.txt");
  }
  int run(const std::string& args) { return test::runCommand(cli() + " " + args, &output); }
  void makeSeries(int copies) {
    const fs::path fx = test::fixtures() / "tiny-bert" / "checkpoint-100";
    std::string folders;
    for (int step = 0; step < copies; ++step) {
      const fs::path d = dir / ("hf/checkpoint-" + std::to_string(step * 100));
      fs::create_directories(d);
      for (const char* f : {"config.json", "model.safetensors"})
        fs::copy_file(fx / f, d / f);
      folders += d.string() + " ";
    }
    ASSERT_EQ(run("import-hf " + folders + "--vocab " + (dir / "vocab.txt").string() + " --out " +
                  series.string()),
              0)
        << output;
  }
  void makeProbeSet(int sentences) {
    std::ofstream conllu(dir / "p.conllu");
    for (int s = 0; s < sentences; ++s)
      conllu << "1\ttok" << 5 + s % 50 << "\t_\tNOUN\t_\t_\t2\tnsubj\t_\t_\n"
             << "2\ttok" << 6 + s % 40 << "\t_\tVERB\t_\t_\t0\troot\t_\t_\n"
             << "3\ttok" << 7 + s % 30 << "\t_\tNOUN\t_\t_\t2\tobj\t_\t_\n\n";
    conllu.close();
    ASSERT_EQ(run("probe-set build --conllu " + (dir / "p.conllu").string() + " --vocab " +
                  (series / "vocab.txt").string() + " --out " + probeSet.string()),
              0)
        << output;
  }
  // A probe that runs for a while: every checkpoint, loss and UAS, one thread.
  std::string longProbe() const {
    return cli() + " probe " + series.string() + " --probe-set " + probeSet.string() +
           " --probes loss,uas --threads 1 --json";
  }

  test::ScratchDir dir;
  fs::path series = dir / "series";
  fs::path probeSet = dir / "p.h5";
  std::string output;
};

// Runs `script` with bash; its exit status says what happened (see each test).
int runScript(const test::ScratchDir& dir, const std::string& script, std::string* output) {
  std::ofstream(dir / "script.sh") << script;
  return test::runCommand("bash " + (dir / "script.sh").string(), output);
}

} // namespace

// One extra line in vocab.txt shifts every id: attention and the worker
// refuse it as probe does, through the one loader (engine/series_model.h).
TEST_F(CliFaults, AttentionAndServeRefuseAVocabularyThatShiftsIds) {
  makeSeries(1);
  std::ofstream(series / "vocab.txt", std::ios::app) << "extra\n";
  std::string err;
  EXPECT_EQ(test::runCommand("(" + cli() + " attention " + series.string() +
                                 " --step 0 --text 'tok7 tok9' --out " + (dir / "a.h5").string() +
                                 " 2>&1 >/dev/null)",
                             &err),
            1);
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  EXPECT_NE(err.find((series / "vocab.txt").string()), std::string::npos) << err;
  EXPECT_NE(err.find("vocab_size is 64"), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(dir / "a.h5"));

  const std::string request = R"({"id":1,"op":"attention","series":")" + series.string() +
                              R"(","step":0,"words":["tok7","tok9"]})";
  ASSERT_EQ(test::runCommand("echo '" + request + "' | " + cli() + " serve 2>/dev/null", &output),
            0)
      << output;
  EXPECT_NE(output.find("\"ok\":false"), std::string::npos) << output;
  EXPECT_NE(output.find("vocab.txt"), std::string::npos) << output;
  EXPECT_NE(output.find("vocab_size is 64"), std::string::npos) << output;
}

// The app starts a prober with CHRYSALIS_PARENT_PID and is then killed
// (SIGKILL: no destructor runs). The prober gets SIGTERM from the kernel
// and is gone within seconds. Exit 0: gone; 3: it finished before the
// parent was killed (the test could not tell); 4: still running after 8 s.
TEST_F(CliFaults, ProberDiesWithTheAppThatStartedIt) {
  makeSeries(24);
  makeProbeSet(3000);
  const std::string events = (dir / "events").string(), child = (dir / "child").string();
  const std::string script =
      "sh -c 'CHRYSALIS_PARENT_PID=$$ " + longProbe() + " >" + events + " 2>&1 & echo $! >" +
      child +
      "; wait' &\n"
      "parent=$!\n"
      "for i in $(seq 1 1200); do [ -s " +
      events +
      " ] && break; sleep 0.05; done\n"
      "pid=$(cat " +
      child +
      ")\n"
      "kill -0 $pid 2>/dev/null || exit 3\n"
      "kill -KILL $parent\n"
      "for i in $(seq 1 160); do kill -0 $pid 2>/dev/null || exit 0; sleep 0.05; done\n"
      "kill -KILL $pid; exit 4\n";
  EXPECT_EQ(runScript(dir, script, &output), 0) << output;
}

// SIGTERM (the app's process group, or `kill`) stops a running probe
// promptly, exit 130, like Ctrl-C; results already stored are kept.
// Exit 130: stopped; 3: it had finished already; 4: still running after 5 s.
TEST_F(CliFaults, SigtermStopsARunningProbePromptly) {
  makeSeries(24);
  makeProbeSet(3000);
  const std::string events = (dir / "events").string();
  const std::string script = longProbe() + " >" + events +
                             " 2>&1 &\n"
                             "pid=$!\n"
                             "for i in $(seq 1 1200); do [ -s " +
                             events +
                             " ] && break; sleep 0.05; done\n"
                             "kill -0 $pid 2>/dev/null || exit 3\n"
                             "kill -TERM $pid\n"
                             "for i in $(seq 1 100); do kill -0 $pid 2>/dev/null || { wait $pid; "
                             "exit $?; }; sleep 0.05; done\n"
                             "kill -KILL $pid; exit 4\n";
  EXPECT_EQ(runScript(dir, script, &output), 130) << output;
}
