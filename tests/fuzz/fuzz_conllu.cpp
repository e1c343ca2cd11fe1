// libFuzzer target: the CoNLL-U reader, strict and skipping, on arbitrary bytes.
#include "text/conllu.h"

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  for (bool skip : {false, true}) {
    std::istringstream in(bytes);
    chrysalis::text::ConlluOptions options;
    options.skipInvalid = skip;
    chrysalis::text::ConlluReader reader(in, "fuzz.conllu", options);
    chrysalis::text::Sentence s;
    try {
      while (reader.next(s)) {
        // Touch what a caller would use, so the sanitizers see it.
        volatile size_t n = s.surfaceTokens().size() + s.heads.size();
        (void)n;
      }
    } catch (const chrysalis::InputError&) {
      // Expected for malformed input; anything else escapes and is a finding.
    }
  }
  return 0;
}
