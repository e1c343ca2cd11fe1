#pragma once
// The long-lived worker's protocol (chrysalis-cli serve): one JSON object per
// line on stdin, one JSON object per line on stdout. No LibTorch here, so the
// GUI and the fuzzer share the parser with the worker.
//
// Requests (every request has an integer "id", echoed in its reply):
//   {"id":1,"op":"ping"}
//   {"id":2,"op":"attention","series":"/path","step":1000,"words":["The","cat","sat"]}
//        or "text":"The cat sat." instead of "words"; optional "pieces":true
//   {"id":3,"op":"shutdown"}
//   {"id":4,"op":"ablate","series":"/path","step":1000,"probe_set":"/path/p.h5",
//        "heads":"4-1,3-2","mode":"zero","min_relation_count":20}
//        the ablation probe (docs/probes.md) at one checkpoint: "heads" as
//        probes/head_choice.h reads it, "mode" zero | mean, both optional
//        (top:3, zero), "min_relation_count" optional (100).
// Replies: {"id":N,"ok":true,...} or {"id":N,"ok":false,"error":"one line"}.
// An attention reply carries "tokens" (pieces incl. [CLS]/[SEP], continuations
// as "##x"), "spans" (per word [begin,end)), "layers", "heads", "pieces" (T),
// "words" (W = words + 2) and "word_attention": layers*heads*W*W floats
// (row-major, rows "from"). Asked with "pieces":true it also carries
// "piece_attention": layers*heads*T*T floats, the model's own attention over
// the pieces (rows "from", each summing to 1); without it the reply is
// unchanged, so older clients and the piece-level views share one worker.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace chrysalis::format {

struct WorkerRequest {
  enum class Op { Ping, Attention, Ablate, Shutdown };
  int64_t id = 0;
  Op op = Op::Ping;
  std::string series;
  int64_t step = 0;
  std::vector<std::string> words; // pre-split words, or
  std::string text;               // raw text (when words is empty)
  bool pieces = false;            // also reply with the piece-level attention
  // Ablate only:
  std::string probeSet;
  std::string heads = "top:3";
  std::string mode = "zero";
  int64_t minRelationCount = 100;
};

// Reads the next request line from `in` into `line`; false at the end of
// input. A line over 1 MiB is refused while it is read (its bytes are
// skipped, never stored) with InputError("worker request", ...); reading may
// go on with the next line.
bool readWorkerRequestLine(std::istream& in, std::string& line);

// The request's "id" when `line` is JSON with an integer id, else 0 (for the
// error reply to a request that did not parse). Bounded like the parser.
int64_t workerRequestId(const std::string& line);

// Parses and validates one request line. Throws InputError("worker request",
// place, reason) for anything malformed; bounded (1 MiB line, 4,096 words).
WorkerRequest parseWorkerRequest(const std::string& line);

// The request as one JSON object (what parseWorkerRequest reads back); "pieces"
// appears only when set, so a word-level request is byte-for-byte the old one.
nlohmann::json workerRequestJson(const WorkerRequest& request);

nlohmann::json workerError(int64_t id, const std::string& message);

} // namespace chrysalis::format
