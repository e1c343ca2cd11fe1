// libFuzzer target: the worker's JSON-lines input as the worker reads it
// (bounded line reader, then the request parser), and that what the parser
// accepts serializes back to a request that parses the same.
#include "common/error.h"
#include "format/worker_protocol.h"

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

namespace {
void checkOne(const std::string& line) {
  using chrysalis::format::WorkerRequest;
  try {
    auto r = chrysalis::format::parseWorkerRequest(line);
    if (r.op == WorkerRequest::Op::Attention && r.words.empty() && r.text.empty()) __builtin_trap();
    if (r.op == WorkerRequest::Op::Ablate && r.probeSet.empty()) __builtin_trap();
    auto back =
        chrysalis::format::parseWorkerRequest(chrysalis::format::workerRequestJson(r).dump());
    if (back.id != r.id || back.op != r.op || back.series != r.series || back.step != r.step ||
        back.words != r.words || back.text != r.text || back.pieces != r.pieces ||
        back.probeSet != r.probeSet || back.heads != r.heads || back.mode != r.mode ||
        back.minRelationCount != r.minRelationCount)
      __builtin_trap();
  } catch (const chrysalis::InputError&) {
    (void)chrysalis::format::workerRequestId(line);
  }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  std::string line;
  while (true) {
    try {
      if (!chrysalis::format::readWorkerRequestLine(in, line)) break;
    } catch (const chrysalis::InputError&) {
      if (line.size() > (1u << 20)) __builtin_trap(); // an overlong line is never kept
      continue;
    }
    checkOne(line);
  }
  return 0;
}
