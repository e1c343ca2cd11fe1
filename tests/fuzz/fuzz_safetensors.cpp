// libFuzzer target: the safetensors header parser. Any bytes must give a
// parsed header or an InputError, never a crash, hang or huge allocation.
#include "common/error.h"
#include "format/safetensors.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    // The first 8 bytes of input also choose the claimed file size, so that
    // data sections larger than the input are explored.
    auto h = chrysalis::format::parseSafetensorsHeader(
        bytes, size + (size > 9 ? data[9] * 64u : 0u), "fuzz.safetensors");
    for (const auto& t : h.tensors)
      if (t.end < t.begin) __builtin_trap();
  } catch (const chrysalis::InputError&) {
  }
  return 0;
}
