#pragma once
// The engine side of `chrysalis-cli serve`: answers the GUI's on-demand
// requests (format/worker_protocol.h), keeping recently used checkpoints
// loaded so that scrubbing back and forth does not reload weights.
#include "format/worker_protocol.h"

#include <nlohmann/json.hpp>

#include <list>
#include <memory>
#include <string>

namespace chrysalis::probes {

class Worker {
public:
  explicit Worker(size_t cachedModels = 3);
  ~Worker();
  // Never throws: failures become {"ok": false, "error": ...} replies.
  nlohmann::json handle(const format::WorkerRequest& request);

private:
  struct Loaded;
  struct Prober;
  Loaded& model(const std::string& series, int64_t step);
  nlohmann::json attention(const format::WorkerRequest& request, Loaded& loaded);
  nlohmann::json ablate(const format::WorkerRequest& request, Loaded& loaded);
  std::unique_ptr<Prober> m_prober;           // the last ablation's probe set and options
  std::list<std::unique_ptr<Loaded>> m_cache; // most recently used first
  size_t m_capacity;
};

} // namespace chrysalis::probes
