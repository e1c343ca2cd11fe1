// libFuzzer target: the worker's JSON-lines request parser.
#include "common/error.h"
#include "format/worker_protocol.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    auto r = chrysalis::format::parseWorkerRequest(std::string(reinterpret_cast<const char*>(data), size));
    if (r.op == chrysalis::format::WorkerRequest::Op::Attention && r.words.empty() && r.text.empty()) __builtin_trap();
  } catch (const chrysalis::InputError&) {
  }
  return 0;
}
