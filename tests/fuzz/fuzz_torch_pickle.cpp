// libFuzzer target: the restricted state-dict unpickler (pytorch_model.bin's
// data.pkl). Any bytes must give tensors or an InputError, never a crash, a
// hang, a leak (a list appended to itself) or a call of anything.
#include "common/error.h"
#include "format/torch_pickle.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    auto tensors = chrysalis::format::parseTorchStateDict(
        std::string_view(reinterpret_cast<const char*>(data), size), "fuzz/data.pkl");
    for (const auto& t : tensors)
      if (t.offset + t.elementCount() > t.storageNumel) __builtin_trap();
  } catch (const chrysalis::InputError&) {
  }
  return 0;
}
