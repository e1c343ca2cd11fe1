// libFuzzer target: the engine's progress events as the app reads them
// (format/engine_events.h). Whatever parses must name a known event, and
// its name must read back as the same type.
#include "format/engine_events.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace chrysalis::format;
  const auto event = parseEngineEvent(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!event) return 0;
  const auto back = engineEventType(engineEventName(event->type));
  if (!back || *back != event->type) __builtin_trap();
  if (!event->object.is_object()) __builtin_trap();
  return 0;
}
