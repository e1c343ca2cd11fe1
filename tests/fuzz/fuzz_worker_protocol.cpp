// libFuzzer target: the worker's JSON-lines request parser, and that what it
// accepts serializes back to a request that parses the same.
#include "common/error.h"
#include "format/worker_protocol.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using chrysalis::format::WorkerRequest;
  try {
    auto r = chrysalis::format::parseWorkerRequest(
        std::string(reinterpret_cast<const char*>(data), size));
    if (r.op == WorkerRequest::Op::Attention && r.words.empty() && r.text.empty()) __builtin_trap();
    auto back =
        chrysalis::format::parseWorkerRequest(chrysalis::format::workerRequestJson(r).dump());
    if (back.id != r.id || back.op != r.op || back.series != r.series || back.step != r.step ||
        back.words != r.words || back.text != r.text || back.pieces != r.pieces)
      __builtin_trap();
  } catch (const chrysalis::InputError&) {
  }
  return 0;
}
