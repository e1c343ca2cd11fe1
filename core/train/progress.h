#pragma once
// How a training run reports itself: a one-line progress bar on stderr when
// it is a terminal, plain log lines on stderr otherwise (cluster logs), and
// JSON lines on stdout for the GUI (`--json`):
//   {"event":"start",...} {"event":"step",...} {"event":"checkpoint","step":S,"path":P}
//   {"event":"done",...} {"event":"interrupted",...} {"event":"error","message":M}
// No LibTorch here.
#include "train/trainer.h"

#include <nlohmann/json_fwd.hpp>

#include <chrono>
#include <cstdio>
#include <string>

namespace chrysalis::train {

class ProgressReporter {
public:
  // bar: draw the bar (callers pass isatty(stderr)); lines: a plain line per
  // report on stderr instead; json: write events to `out`. A report every
  // logEvery steps (and on the last one).
  ProgressReporter(bool bar, bool lines, bool json, int64_t logEvery, std::FILE* out = stdout,
                   std::FILE* err = stderr);

  void start(const Trainer& t);
  void step(const StepStats& s);
  void checkpoint(const CheckpointEvent& c);
  void done(int64_t step, bool interrupted);
  void error(const std::string& message);
  void note(const std::string& message);

  TrainerCallbacks callbacks();

private:
  // One JSON line on m_out; a failed write (a closed pipe) requests a stop.
  void emit(const nlohmann::json& event);
  void drawBar(const StepStats& s, double tokensPerSecond, double eta);
  void endBar();

  bool m_bar, m_lines, m_json;
  int64_t m_logEvery;
  std::FILE* m_out;
  std::FILE* m_err;
  int64_t m_total = 0;
  bool m_barDrawn = false;
  std::chrono::steady_clock::time_point m_lastDraw{};
  // Throughput over the steps since the last report.
  double m_windowSeconds = 0;
  int64_t m_windowTokens = 0;
  int64_t m_windowSteps = 0;
  double m_tokensPerSecond = 0;
  double m_secondsPerStep = 0;
};

} // namespace chrysalis::train
