#pragma once
// The engine's progress events: one JSON object per line on stdout, printed
// by `chrysalis-cli train` and `chrysalis-cli probe --json` and read by the
// app (ui/training). Their names live here only, so the writer and the
// reader cannot drift apart; the parser is bounded like every reader of
// outside input and fuzzed (tests/fuzz/fuzz_engine_events.cpp).
//
//   train:  start, step, checkpoint, done | interrupted, error; with --densify
//           also densify_done (resumed_from, added, matched, differed: steps)
//   probe:  started, cache_hit, step_done, finished
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chrysalis::format {

enum class EngineEventType {
  // train
  Start,
  Step,
  Checkpoint,
  Done,
  Interrupted,
  Error,
  // probe
  ProbeStarted,
  CacheHit,
  StepDone,
  ProbeFinished,
  // train --densify
  DensifyDone,
};
inline constexpr int kEngineEventTypes = 11;

/// The name printed in the "event" field.
const char* engineEventName(EngineEventType type);
/// The type of a name, or nothing for a name no engine prints.
std::optional<EngineEventType> engineEventType(std::string_view name);

/// One event line, read. Fields the event does not carry stay at their defaults.
struct EngineEvent {
  EngineEventType type = EngineEventType::Step;
  int64_t step = -1;     ///< train: every event; probe: cache_hit, step_done
  int64_t done = -1;     ///< probe: checkpoints done so far
  int64_t total = -1;    ///< probe: checkpoints to do
  std::string path;      ///< checkpoint: the file written
  std::string message;   ///< error: what went wrong
  nlohmann::json object; ///< the whole line, for fields only some readers want
};

/// The event on this line, or nothing when the line is not one (not a JSON
/// object, no known "event" name, a field of the wrong type). Lines deeper
/// than kMaxJsonDepth or longer than 1 MiB are not events either.
std::optional<EngineEvent> parseEngineEvent(std::string_view line);

} // namespace chrysalis::format
