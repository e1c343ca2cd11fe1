// libFuzzer target: the BLiMP JSONL reader and task grouping on arbitrary bytes.
#include "text/blimp.h"

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  try {
    chrysalis::text::BlimpSuite suite;
    suite.add(chrysalis::text::readBlimpJsonl(in, "fuzz.jsonl"));
    volatile size_t n = suite.subsample(3, size).pairCount() + suite.phenomena().size();
    (void)n;
  } catch (const chrysalis::InputError&) {
    // Expected for malformed input.
  }
  return 0;
}
