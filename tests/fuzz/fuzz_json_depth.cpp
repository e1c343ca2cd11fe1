// libFuzzer target, structure-aware: the input is a program that builds a
// nested JSON document (so the fuzzer reaches depths of 100,000 and more,
// which byte mutations rarely do), placed where series.json, a worker request
// and a safetensors header carry free JSON. Checks that parseJsonBounded
// accepts exactly the documents at most kMaxJsonDepth deep and that no
// reader crashes on the rest.
//
// Program: byte 0-2: depth (24 bits, up to 16 M levels capped at 200,000);
// byte 3: opener kinds (bit i: array or object at level i mod 8); the rest:
// a leaf value placed at the bottom, and junk after the closers when odd.
#include "common/error.h"
#include "common/json_bounded.h"
#include "format/series.h"
#include "format/worker_protocol.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace {

struct Document {
  std::string text;
  size_t depth = 0;
  bool wellFormed = true;
};

Document build(const uint8_t* data, size_t size) {
  Document d;
  if (size < 4) return d;
  d.depth = ((size_t{data[0]} << 16) | (size_t{data[1]} << 8) | data[2]) % 200'001;
  const uint8_t kinds = data[3];
  const std::string leaf(reinterpret_cast<const char*>(data + 4), size - 4);
  std::string closers;
  for (size_t i = 0; i < d.depth; ++i) {
    const bool object = (kinds >> (i % 8)) & 1;
    d.text += object ? "{\"k\":" : "[";
    closers += object ? '}' : ']';
  }
  d.text += leaf.empty() ? "0" : leaf;
  d.text.append(closers.rbegin(), closers.rend());
  return d;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Document doc = build(data, size);
  bool accepted = false;
  try {
    (void)chrysalis::parseJsonBounded(doc.text, "fuzz.json");
    accepted = true;
  } catch (const chrysalis::InputError& e) {
    // A refusal names the file, always.
    if (e.file() != "fuzz.json") __builtin_trap();
  }
  // Deeper than the bound yet accepted: the bound leaks (the leaf may add
  // levels of its own, so only the builder's depth is certain).
  if (accepted && doc.depth > static_cast<size_t>(chrysalis::kMaxJsonDepth)) __builtin_trap();

  // The same nesting inside documents the readers take whole.
  const std::string request =
      R"({"id":1,"op":"attention","series":"s","step":1,"words":)" + doc.text + "}";
  try {
    (void)chrysalis::format::parseWorkerRequest(request);
  } catch (const chrysalis::InputError&) {
  }
  try {
    auto j = chrysalis::parseJsonBounded(
        R"({"format":"chrysalis-series","training":)" + doc.text + "}", "series.json");
    (void)chrysalis::format::SeriesMeta::fromJson(j, "series.json");
  } catch (const chrysalis::InputError&) {
  }
  return 0;
}
