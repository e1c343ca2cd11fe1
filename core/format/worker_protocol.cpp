#include "format/worker_protocol.h"

#include "common/error.h"
#include "common/json_bounded.h"
#include "common/line_reader.h"

namespace chrysalis::format {

namespace {
constexpr size_t kMaxLine = 1 << 20;
constexpr size_t kMaxWords = 4096;
const std::string kWhere = "worker request";
// A short non-empty string field, or the default when absent.
std::string optionalString(const nlohmann::json& j, const char* key, const std::string& fallback) {
  if (!j.contains(key)) return fallback;
  if (!j[key].is_string() || j[key].get<std::string>().empty() ||
      j[key].get<std::string>().size() > 4096)
    throw InputError(kWhere, key, "expected a non-empty string of at most 4,096 bytes");
  return j[key].get<std::string>();
}

WorkerRequest withAblation(const nlohmann::json& j, WorkerRequest r) {
  if (!j.contains("probe_set") || !j["probe_set"].is_string() ||
      j["probe_set"].get<std::string>().empty())
    throw InputError(kWhere, "probe_set", "missing or not a string");
  r.probeSet = j["probe_set"].get<std::string>();
  r.heads = optionalString(j, "heads", r.heads);
  r.mode = optionalString(j, "mode", r.mode);
  if (r.mode != "zero" && r.mode != "mean")
    throw InputError(kWhere, "mode", "expected zero or mean");
  if (j.contains("min_relation_count")) {
    const auto& m = j["min_relation_count"];
    if (!m.is_number_integer() || m.get<int64_t>() < 0 || m.get<int64_t>() > 1000000000)
      throw InputError(kWhere, "min_relation_count", "expected a non-negative integer");
    r.minRelationCount = m.get<int64_t>();
  }
  return r;
}

} // namespace

bool readWorkerRequestLine(std::istream& in, std::string& line) {
  LineReader reader(in, kWhere, LineLimits{kMaxLine});
  bool tooLong = false;
  if (!reader.next(line, &tooLong)) return false;
  if (tooLong) throw InputError(kWhere, "", "line longer than 1 MiB");
  return true;
}

int64_t workerRequestId(const std::string& line) {
  try {
    const auto j = parseJsonBounded(line, kWhere);
    if (j.is_object() && j.contains("id") && j["id"].is_number_integer())
      return j["id"].get<int64_t>();
  } catch (const InputError&) {
  }
  return 0;
}

WorkerRequest parseWorkerRequest(const std::string& line) {
  if (line.size() > kMaxLine) throw InputError(kWhere, "", "line longer than 1 MiB");
  const auto j = parseJsonBounded(line, kWhere);
  if (!j.is_object()) throw InputError(kWhere, "", "not a JSON object");
  WorkerRequest r;
  if (!j.contains("id") || !j["id"].is_number_integer())
    throw InputError(kWhere, "id", "missing or not an integer");
  r.id = j["id"].get<int64_t>();
  if (!j.contains("op") || !j["op"].is_string())
    throw InputError(kWhere, "op", "missing or not a string");
  const std::string op = j["op"].get<std::string>();
  if (op == "ping")
    r.op = WorkerRequest::Op::Ping;
  else if (op == "shutdown")
    r.op = WorkerRequest::Op::Shutdown;
  else if (op == "attention")
    r.op = WorkerRequest::Op::Attention;
  else if (op == "ablate")
    r.op = WorkerRequest::Op::Ablate;
  else
    throw InputError(kWhere, "op", "unknown operation '" + op + "'");
  if (r.op != WorkerRequest::Op::Attention && r.op != WorkerRequest::Op::Ablate) return r;

  if (!j.contains("series") || !j["series"].is_string() || j["series"].get<std::string>().empty())
    throw InputError(kWhere, "series", "missing or not a string");
  r.series = j["series"].get<std::string>();
  if (!j.contains("step") || !j["step"].is_number_integer() || j["step"].get<int64_t>() < 0)
    throw InputError(kWhere, "step", "missing or not a non-negative integer");
  r.step = j["step"].get<int64_t>();
  if (r.op == WorkerRequest::Op::Ablate) return withAblation(j, r);
  if (j.contains("words")) {
    const auto& w = j["words"];
    if (!w.is_array() || w.empty() || w.size() > kMaxWords)
      throw InputError(kWhere, "words", "expected 1 to 4,096 strings");
    for (const auto& x : w) {
      if (!x.is_string() || x.get<std::string>().empty())
        throw InputError(kWhere, "words", "expected non-empty strings");
      r.words.push_back(x.get<std::string>());
    }
  } else if (j.contains("text") && j["text"].is_string() && !j["text"].get<std::string>().empty()) {
    r.text = j["text"].get<std::string>();
  } else {
    throw InputError(kWhere, "words", "give \"words\" or \"text\"");
  }
  if (j.contains("pieces")) {
    if (!j["pieces"].is_boolean()) throw InputError(kWhere, "pieces", "expected true or false");
    r.pieces = j["pieces"].get<bool>();
  }
  return r;
}

nlohmann::json workerRequestJson(const WorkerRequest& r) {
  using Op = WorkerRequest::Op;
  nlohmann::json j{{"id", r.id}};
  if (r.op == Op::Ping) j["op"] = "ping";
  if (r.op == Op::Shutdown) j["op"] = "shutdown";
  if (r.op == Op::Ablate) {
    j.update({{"op", "ablate"},
              {"series", r.series},
              {"step", r.step},
              {"probe_set", r.probeSet},
              {"heads", r.heads},
              {"mode", r.mode},
              {"min_relation_count", r.minRelationCount}});
    return j;
  }
  if (r.op != Op::Attention) return j;
  j["op"] = "attention";
  j["series"] = r.series;
  j["step"] = r.step;
  if (!r.words.empty())
    j["words"] = r.words;
  else
    j["text"] = r.text;
  if (r.pieces) j["pieces"] = true;
  return j;
}

nlohmann::json workerError(int64_t id, const std::string& message) {
  return {{"id", id}, {"ok", false}, {"error", message}};
}

} // namespace chrysalis::format
