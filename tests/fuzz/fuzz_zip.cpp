// libFuzzer target: the zip reader behind pytorch_model.bin, over bytes in
// memory. Any bytes must give entries that lie inside the archive, or an
// InputError; never a read outside the input or a huge allocation.
#include "common/error.h"
#include "format/zip_archive.h"

#include <cstddef>
#include <cstdint>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace chrysalis;
  format::ZipBytes bytes;
  bytes.size = size;
  bytes.readAt = [data, size](uint64_t offset, void* dst, size_t n) {
    if (offset > size || n > size - offset)
      throw InputError("fuzz.zip", "offset " + std::to_string(offset), "short read");
    std::memcpy(dst, data + offset, n);
  };
  try {
    format::ZipArchive zip(bytes, "fuzz.zip");
    for (const auto& e : zip.entries()) {
      if (e.dataOffset > size || e.size > size - e.dataOffset) __builtin_trap();
      zip.readAll(e, 1 << 20);
    }
  } catch (const InputError&) {
  }
  return 0;
}
