#include "train/progress.h"

#include "format/engine_events.h"

#include "train/interrupt.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace chrysalis::train {

namespace {
std::string duration(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  char buf[32];
  const auto t = static_cast<long long>(s + 0.5);
  if (t >= 3600)
    std::snprintf(buf, sizeof buf, "%lldh%02lldm", t / 3600, (t / 60) % 60);
  else
    std::snprintf(buf, sizeof buf, "%lldm%02llds", t / 60, t % 60);
  return buf;
}
// JSON numbers cannot be NaN or infinite.
nlohmann::json number(double x) {
  return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json();
}
} // namespace

ProgressReporter::ProgressReporter(bool bar, bool lines, bool json, int64_t logEvery,
                                   std::FILE* out, std::FILE* err)
    : m_bar(bar), m_lines(lines && !bar), m_json(json), m_logEvery(logEvery < 1 ? 1 : logEvery),
      m_out(out), m_err(err) {}

void ProgressReporter::emit(const nlohmann::json& event) {
  const bool written = std::fprintf(m_out, "%s\n", event.dump().c_str()) >= 0;
  // A reader that went away (`train --json | head -1`: EPIPE, SIGPIPE being
  // ignored) stops the run like an interrupt: state saved, exit 130.
  if (std::fflush(m_out) != 0 || !written) requestStop();
}

void ProgressReporter::start(const Trainer& t) {
  m_total = t.config().steps;
  if (m_json) {
    nlohmann::json j{{"event", format::engineEventName(format::EngineEventType::Start)},
                     {"series", t.seriesDir().string()},
                     {"step", t.currentStep()},
                     {"steps", m_total},
                     {"checkpoint_steps", t.checkpointSteps()},
                     {"notes", t.notes()}};
    emit(j);
  }
  if (m_bar || m_lines)
    for (const auto& n : t.notes())
      std::fprintf(m_err, "%s\n", n.c_str());
}

void ProgressReporter::step(const StepStats& s) {
  m_windowSeconds += s.seconds;
  m_windowTokens += s.tokens;
  ++m_windowSteps;
  const auto now = std::chrono::steady_clock::now();
  const bool report = s.step % m_logEvery == 0 || s.step == m_total;
  const bool redraw =
      m_bar && (now - m_lastDraw > std::chrono::milliseconds(100) || s.step == m_total);
  if (!report && !redraw) return;
  if (m_windowSeconds > 0) {
    m_tokensPerSecond = static_cast<double>(m_windowTokens) / m_windowSeconds;
    m_secondsPerStep = m_windowSeconds / static_cast<double>(m_windowSteps);
  }
  m_windowSeconds = 0;
  m_windowTokens = 0;
  m_windowSteps = 0;
  const double eta = m_secondsPerStep * static_cast<double>(m_total - s.step);
  if (report && m_json) {
    nlohmann::json j{{"event", format::engineEventName(format::EngineEventType::Step)},
                     {"step", s.step},
                     {"steps", m_total},
                     {"loss", number(s.loss)},
                     {"mlm_loss", number(s.mlmLoss)},
                     {"reg_loss", number(s.regLoss)},
                     {"lambda", s.lambda},
                     {"learning_rate", s.learningRate},
                     {"tokens_seen", s.tokensSeen},
                     {"tokens_per_s", number(m_tokensPerSecond)},
                     {"wall_time", s.wallTime},
                     {"eta_s", number(eta)}};
    emit(j);
  }
  if (report && m_lines) {
    std::fprintf(m_err, "step %lld/%lld loss %.4f mlm %.4f reg %.4g lr %.3g %.0f tok/s ETA %s\n",
                 static_cast<long long>(s.step), static_cast<long long>(m_total), s.loss, s.mlmLoss,
                 s.regLoss, s.learningRate, m_tokensPerSecond, duration(eta).c_str());
    std::fflush(m_err);
  }
  if (redraw) {
    drawBar(s, m_tokensPerSecond, eta);
    m_lastDraw = now;
  }
}

void ProgressReporter::drawBar(const StepStats& s, double tokensPerSecond, double eta) {
  constexpr int kWidth = 24;
  const double frac =
      m_total > 0 ? static_cast<double>(s.step) / static_cast<double>(m_total) : 1.0;
  const int filled = static_cast<int>(frac * kWidth);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.resize(kWidth, '.');
  std::fprintf(m_err, "\r[%s] step %lld/%lld  loss %.4f", bar.c_str(),
               static_cast<long long>(s.step), static_cast<long long>(m_total), s.loss);
  if (s.lambda != 0.0) std::fprintf(m_err, " (mlm %.4f reg %.3g)", s.mlmLoss, s.regLoss);
  std::fprintf(m_err, "  %.0f tok/s  ETA %s   ", tokensPerSecond, duration(eta).c_str());
  std::fflush(m_err);
  m_barDrawn = true;
}

void ProgressReporter::endBar() {
  if (m_barDrawn) std::fprintf(m_err, "\n");
  m_barDrawn = false;
}

void ProgressReporter::checkpoint(const CheckpointEvent& c) {
  if (!m_json) return;
  nlohmann::json j{{"event", format::engineEventName(format::EngineEventType::Checkpoint)},
                   {"step", c.step},
                   {"path", c.path.string()}};
  emit(j);
}

void ProgressReporter::done(int64_t step, bool interrupted) {
  endBar();
  if (m_json) {
    nlohmann::json j{
        {"event", format::engineEventName(interrupted ? format::EngineEventType::Interrupted
                                                      : format::EngineEventType::Done)},
        {"step", step}};
    emit(j);
  }
  if ((m_bar || m_lines) && interrupted)
    std::fprintf(m_err, "interrupted at step %lld; checkpoint and resume state written\n",
                 static_cast<long long>(step));
}

void ProgressReporter::error(const std::string& message) {
  endBar();
  if (!m_json) return;
  nlohmann::json j{{"event", format::engineEventName(format::EngineEventType::Error)},
                   {"message", message}};
  emit(j);
}

void ProgressReporter::note(const std::string& message) {
  if (m_bar || m_lines) std::fprintf(m_err, "%s\n", message.c_str());
}

TrainerCallbacks ProgressReporter::callbacks() {
  TrainerCallbacks cb;
  cb.onStep = [this](const StepStats& s) { step(s); };
  cb.onCheckpoint = [this](const CheckpointEvent& c) { checkpoint(c); };
  return cb;
}

} // namespace chrysalis::train
