#pragma once
// The long-lived worker's protocol (chrysalis-cli serve): one JSON object per
// line on stdin, one JSON object per line on stdout. No LibTorch here, so the
// GUI and the fuzzer share the parser with the worker.
//
// Requests (every request has an integer "id", echoed in its reply):
//   {"id":1,"op":"ping"}
//   {"id":2,"op":"attention","series":"/path","step":1000,"words":["The","cat","sat"]}
//        or "text":"The cat sat." instead of "words"
//   {"id":3,"op":"shutdown"}
// Replies: {"id":N,"ok":true,...} or {"id":N,"ok":false,"error":"one line"}.
// An attention reply carries "tokens" (pieces incl. [CLS]/[SEP]), "spans"
// (per word [begin,end)), "layers", "heads", "pieces" (T), "words" (W = words
// + 2) and "word_attention": layers*heads*W*W floats (row-major, rows "from").
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace chrysalis::format {

struct WorkerRequest {
  enum class Op { Ping, Attention, Shutdown };
  int64_t id = 0;
  Op op = Op::Ping;
  std::string series;
  int64_t step = 0;
  std::vector<std::string> words; // pre-split words, or
  std::string text;               // raw text (when words is empty)
};

// Parses and validates one request line. Throws InputError("worker request",
// place, reason) for anything malformed; bounded (1 MiB line, 4,096 words).
WorkerRequest parseWorkerRequest(const std::string& line);

nlohmann::json workerError(int64_t id, const std::string& message);

} // namespace chrysalis::format
