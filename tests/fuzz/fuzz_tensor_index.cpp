// libFuzzer target: a checkpoint's tensor index (format/tensor_index.h). Any
// bytes must give entries whose ranges lie inside the claimed file without
// overlapping, or an InputError; never a crash, hang or huge allocation.
#include "common/error.h"
#include "format/tensor_index.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The first byte sets the claimed file size; the rest is the index text.
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const uint64_t fileSize = 4096 + data[0] * 4096u;
  try {
    auto index = chrysalis::format::decodeTensorIndex(text, fileSize, "fuzz.h5");
    std::vector<std::pair<uint64_t, uint64_t>> ranges;
    for (const auto& t : index) {
      const uint64_t bytes = t.entry.byteSize();
      if (bytes > fileSize || t.offset > fileSize - bytes) __builtin_trap();
      if (t.nonFinite < 0 || t.nonFinite > t.entry.elementCount()) __builtin_trap();
      if (bytes > 0) ranges.emplace_back(t.offset, t.offset + bytes);
    }
    std::sort(ranges.begin(), ranges.end());
    for (size_t i = 1; i < ranges.size(); ++i)
      if (ranges[i - 1].second > ranges[i].first) __builtin_trap();
  } catch (const chrysalis::InputError&) {
  }
  return 0;
}
