#include "probes/runner.h"

#include "common/error.h"
#include "common/step_search.h"
#include "engine/bert_model.h"
#include "engine/cpu_threads.h"
#include "engine/series_model.h"
#include "format/series.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <future>
#include <iostream>
#include <set>

namespace chrysalis::probes {

std::vector<int64_t> coarseToFine(const std::vector<int64_t>& ascending) {
  std::vector<int64_t> out;
  std::vector<bool> taken(ascending.size(), false);
  for (size_t stride : {16, 8, 4, 2, 1}) {
    for (size_t i = 0; i < ascending.size(); ++i) {
      const bool last = i + 1 == ascending.size();
      if (!taken[i] && (i % stride == 0 || (stride == 16 && last))) {
        taken[i] = true;
        out.push_back(ascending[i]);
      }
    }
  }
  return out;
}

int64_t nearestAtOrBefore(const std::vector<int64_t>& ascending, int64_t step) {
  if (ascending.empty()) return -1;
  const std::ptrdiff_t i = indexAtOrBefore(ascending, step);
  return i < 0 ? ascending.front() : ascending[static_cast<size_t>(i)]; // before all: the first
}

std::vector<int64_t> moveToFront(std::vector<int64_t> order, int64_t step) {
  auto it = std::find(order.begin(), order.end(), step);
  if (it != order.end()) std::rotate(order.begin(), it, it + 1);
  return order;
}

std::string resolveDevice(const std::string& requested) {
  const bool cuda = torch::cuda::is_available();
  if (requested == "auto") return cuda ? "cuda" : "cpu";
  if (requested == "cuda" && !cuda)
    throw std::invalid_argument(
        "--device cuda: this LibTorch sees no CUDA GPU (use --device auto or cpu)");
  if (requested != "cpu" && requested != "cuda")
    throw std::invalid_argument("unknown device " + requested);
  return requested;
}

namespace {

// Stored as computed (the GUI marks it), but never silently: a NaN loss
// usually means NaN weights or an overflow. Arrays use NaN for "not
// defined" (a relation without pairs), so only the scalars are checked.
void warnAboutNonFiniteScalars(const std::filesystem::path& series, const std::string& kind,
                               const format::ProbeResult& r) {
  for (const auto& [name, value] : r.scalars)
    if (!std::isfinite(value))
      std::cerr << "warning: " << series.string() << ": probe '" << kind << "' at step " << r.step
                << ": '" << name << "' is " << value << "\n";
}

} // namespace

RunSummary runProbes(const RunRequest& req,
                     const std::function<void(const ProgressEvent&)>& progress,
                     const std::atomic<bool>* cancel) {
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  if (req.threads > 0) engine::configureCpuThreads(req.threads);
  const torch::Device device(resolveDevice(req.device));

  const auto listing = format::listSeries(req.series);
  const auto& cfg = listing.meta.model;
  const ProbeSet set = loadProbeSet(req.probeSet);
  const text::Vocab vocab = engine::loadSeriesVocab(req.series, listing.meta);
  const text::WordPieceTokenizer tokenizer(vocab, listing.meta.doLowerCase
                                                      ? text::WordPieceOptions::uncased()
                                                      : text::WordPieceOptions::cased());
  std::optional<text::BlimpSuite> blimp;
  std::set<std::string> kinds(req.kinds.begin(), req.kinds.end());
  for (const auto& k : kinds)
    if (std::find(kProbeKinds.begin(), kProbeKinds.end(), k) == kProbeKinds.end())
      throw std::invalid_argument("unknown probe '" + k + "'");
  RunSummary summary;
  if (!listing.meta.hasMlmHead) {
    for (const auto& k : kMlmHeadKinds)
      if (kinds.erase(k))
        summary.skipped[k] = "the series has no MLM head (imported from BertModel checkpoints), "
                             "so there are no word predictions to score";
    if (kinds.empty())
      throw InputError((req.series / format::kSeriesFile).string(), "mlm_head",
                       "this series has no MLM head (imported from BertModel checkpoints): "
                       "MLM loss, BLiMP and the n-gram probe cannot run; attention, UAS and "
                       "TwoNN can");
  }
  if (kinds.count("blimp") && !req.blimpDir)
    throw std::invalid_argument("the blimp probe needs --blimp DIR");
  // The ablation probe measures BLiMP too when a suite is given.
  if (req.blimpDir && (kinds.count("blimp") || kinds.count("ablation")))
    blimp = text::BlimpSuite::loadDirectory(*req.blimpDir);
  const CheckpointProber prober(set, tokenizer, static_cast<size_t>(cfg.maxPositionEmbeddings),
                                blimp ? &*blimp : nullptr, req.prober);

  format::ProbeStore store(req.series);
  for (const auto& k : kinds)
    summary.configHashes[k] =
        store.ensureConfig(probeConfig(k, req.prober, set.hash(), prober.blimpHash()));

  // The steps to visit: requested (or all with weights), this shard's, ordered.
  std::vector<int64_t> steps;
  for (const auto& c : listing.checkpoints) {
    if (!c.hasWeights) continue;
    if (!req.steps.empty() &&
        std::find(req.steps.begin(), req.steps.end(), c.step) == req.steps.end())
      continue;
    steps.push_back(c.step);
  }
  for (auto s : req.steps)
    if (!listing.find(s))
      throw InputError(req.series.string(), "step " + std::to_string(s), "no such checkpoint");
  std::vector<int64_t> mine;
  for (size_t i = 0; i < steps.size(); ++i)
    if (i % req.shardCount == req.shardIndex) mine.push_back(steps[i]);
  if (req.order == StepOrder::CoarseToFine) mine = coarseToFine(mine);
  // Resolved among every shard's steps, so all shards agree on which it is.
  if (req.firstStep) mine = moveToFront(mine, nearestAtOrBefore(steps, *req.firstStep));

  // The path probe's segment ends at each checkpoint with weights and starts
  // at the one before it; a stored segment that no longer is the previous
  // one (a checkpoint densified in between) is computed again.
  std::vector<int64_t> weighted;
  for (const auto& c : listing.checkpoints)
    if (c.hasWeights) weighted.push_back(c.step);
  auto previousOf = [&](int64_t step) -> int64_t {
    auto it = std::lower_bound(weighted.begin(), weighted.end(), step);
    return it == weighted.begin() ? -1 : *std::prev(it);
  };
  auto missingAt = [&](int64_t step) {
    std::set<std::string> missing;
    for (const auto& k : kinds) {
      const auto& hash = summary.configHashes.at(k);
      if (k == "path") {
        const int64_t previous = previousOf(step);
        if (previous < 0) continue; // the first checkpoint: no segment ends here
        if (!store.has(hash, step)) {
          missing.insert(k);
          continue;
        }
        const auto stored = store.read(hash, step).scalars;
        const auto from = stored.find("path_from");
        if (from == stored.end() || from->second != static_cast<double>(previous))
          missing.insert(k);
        continue;
      }
      if (!store.has(hash, step)) missing.insert(k);
    }
    return missing;
  };
  auto load = [&](int64_t step) {
    auto model = engine::loadSeriesModel(req.series, cfg, step);
    model->to(device);
    return model;
  };

  ProgressEvent ev;
  ev.total = mine.size();
  if (progress) progress(ev);
  // Only checkpoints with missing results are loaded; the next one loads
  // while the current one computes.
  std::vector<int64_t> todo;
  for (auto s : mine) {
    if (missingAt(s).empty()) {
      summary.cached += kinds.size();
      ev.type = ProgressEvent::Type::CacheHit;
      ev.step = s;
      ++ev.done;
      ev.elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
      if (progress) progress(ev);
    } else {
      todo.push_back(s);
    }
  }
  std::future<std::unique_ptr<engine::BertForMaskedLM>> next;
  if (!todo.empty()) next = std::async(std::launch::async, load, todo[0]);
  const auto computeStart = Clock::now();
  for (size_t i = 0; i < todo.size(); ++i) {
    auto model = next.get();
    if (i + 1 < todo.size()) next = std::async(std::launch::async, load, todo[i + 1]);
    if (cancel && cancel->load()) {
      summary.cancelled = true;
      break;
    }
    const auto missing = missingAt(todo[i]);
    summary.cached += kinds.size() - missing.size();
    auto results = prober.run(*model, missing, cancel);
    if (missing.count("path") && !(cancel && cancel->load())) {
      const int64_t previous = previousOf(todo[i]);
      auto start = load(previous);
      auto r = prober.path(*model, *start, cancel);
      r.scalars["path_from"] = static_cast<double>(previous);
      results["path"] = std::move(r);
    }
    if (cancel && cancel->load()) {
      summary.cancelled = true;
      break;
    }
    for (auto& [kind, r] : results) {
      r.step = todo[i];
      r.probeSetHash = kind == "blimp" ? prober.blimpHash() : set.hash();
      warnAboutNonFiniteScalars(req.series, kind, r);
      store.write(summary.configHashes.at(kind), r);
      ++summary.computed;
    }
    ev.type = ProgressEvent::Type::StepDone;
    ev.step = todo[i];
    ++ev.done;
    ev.kinds.assign(missing.begin(), missing.end());
    const auto now = Clock::now();
    ev.elapsed = std::chrono::duration<double>(now - t0).count();
    const double perStep =
        std::chrono::duration<double>(now - computeStart).count() / static_cast<double>(i + 1);
    ev.eta = perStep * static_cast<double>(todo.size() - i - 1);
    if (progress) progress(ev);
  }
  if (next.valid()) next.wait();
  ev.type = ProgressEvent::Type::Finished;
  ev.kinds.clear();
  ev.elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
  if (progress) progress(ev);
  return summary;
}

} // namespace chrysalis::probes
