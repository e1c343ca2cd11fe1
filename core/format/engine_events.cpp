#include "format/engine_events.h"

#include "common/error.h"
#include "common/json_bounded.h"

#include <array>

namespace chrysalis::format {
namespace {

constexpr std::array<const char*, kEngineEventTypes> kNames = {
    "start",   "step",      "checkpoint", "done",     "interrupted", "error",
    "started", "cache_hit", "step_done",  "finished", "densify_done"};

constexpr std::size_t kMaxLine = 1 << 20;

// An integer field, or `fallback` when absent; nothing when of another type.
std::optional<int64_t> integer(const nlohmann::json& j, const char* key, int64_t fallback) {
  const auto it = j.find(key);
  if (it == j.end()) return fallback;
  if (it->is_number_integer() || it->is_number_unsigned()) return it->get<int64_t>();
  return std::nullopt;
}

std::optional<std::string> text(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end()) return std::string();
  if (!it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

} // namespace

const char* engineEventName(EngineEventType type) {
  return kNames[static_cast<std::size_t>(type)];
}

std::optional<EngineEventType> engineEventType(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i)
    if (name == kNames[i]) return static_cast<EngineEventType>(i);
  return std::nullopt;
}

std::optional<EngineEvent> parseEngineEvent(std::string_view line) {
  if (line.size() > kMaxLine || line.empty() || line.front() != '{') return std::nullopt;
  nlohmann::json j;
  try {
    j = parseJsonBounded(line, "engine event");
  } catch (const InputError&) {
    return std::nullopt;
  }
  if (!j.is_object()) return std::nullopt;
  const auto name = j.find("event");
  if (name == j.end() || !name->is_string()) return std::nullopt;
  const auto type = engineEventType(name->get<std::string>());
  if (!type) return std::nullopt;
  const auto step = integer(j, "step", -1), done = integer(j, "done", -1),
             total = integer(j, "total", -1);
  const auto path = text(j, "path"), message = text(j, "message");
  if (!step || !done || !total || !path || !message) return std::nullopt;
  EngineEvent e;
  e.type = *type;
  e.step = *step;
  e.done = *done;
  e.total = *total;
  e.path = *path;
  e.message = *message;
  e.object = std::move(j);
  return e;
}

} // namespace chrysalis::format
