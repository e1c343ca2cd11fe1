#pragma once
// Probing a series: for each requested checkpoint, the probes whose results
// are not yet in the probe store are computed and stored as soon as that
// checkpoint finishes (a cache hit costs no forward pass). The next
// checkpoint loads on a second thread while the current one computes.
#include "probes/checkpoint_prober.h"

#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace chrysalis::probes {

enum class StepOrder { Ascending, CoarseToFine };

struct RunRequest {
  std::filesystem::path series;
  std::filesystem::path probeSet;
  std::optional<std::filesystem::path> blimpDir;
  std::vector<std::string> kinds{"loss", "uas"};
  std::vector<int64_t> steps; // empty: every checkpoint that has weights
  StepOrder order = StepOrder::Ascending;
  // Probed before the rest of `order`: this step, or the newest checkpoint with
  // weights at or before it (the GUI passes its cursor's step).
  std::optional<int64_t> firstStep;
  size_t shardIndex = 0, shardCount = 1; // this process takes steps i with i % count == index
  ProberOptions prober;
  int threads = 0;            // 0: LibTorch's default
  std::string device = "cpu"; // cpu | cuda | auto
};

struct ProgressEvent {
  enum class Type { Started, CacheHit, StepDone, Finished };
  Type type = Type::Started;
  int64_t step = 0;
  size_t done = 0, total = 0;     // checkpoints
  double elapsed = 0, eta = 0;    // seconds
  std::vector<std::string> kinds; // computed at this step
};

struct RunSummary {
  size_t computed = 0; // (step, kind) results written
  size_t cached = 0;   // already present
  bool cancelled = false;
  std::map<std::string, std::string> configHashes; // kind -> hash
  // Kinds asked for that cannot run on this series, each with why.
  std::map<std::string, std::string> skipped;
};

// Every 16th step first, then every 8th, 4th, 2nd, then the rest (the last
// step comes with the first pass), so a timeline's shape appears early.
std::vector<int64_t> coarseToFine(const std::vector<int64_t>& ascending);

// The checkpoint --first-step names among `ascending`: the newest at or
// before `step`, else (a step before them all) the first; -1 when empty.
int64_t nearestAtOrBefore(const std::vector<int64_t>& ascending, int64_t step);

// `order` with `step` moved to the front, the rest in their order; unchanged
// when `step` is not in it (e.g. another shard's checkpoint).
std::vector<int64_t> moveToFront(std::vector<int64_t> order, int64_t step);

// Resolves "auto" to cuda when LibTorch sees a GPU, else cpu; checks "cuda".
std::string resolveDevice(const std::string& requested);

RunSummary runProbes(const RunRequest& request,
                     const std::function<void(const ProgressEvent&)>& progress,
                     const std::atomic<bool>* cancel);

} // namespace chrysalis::probes
