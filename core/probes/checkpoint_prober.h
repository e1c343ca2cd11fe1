#pragma once
// Runs the requested probes on one loaded model: the inputs (probe set,
// BLiMP pairs, masks, windows) are prepared once and reused for every
// checkpoint, so each checkpoint sees identical inputs.
#include "format/probe_store.h"
#include "probes/encoded_set.h"
#include "probes/masked_copies.h"
#include "probes/probe_set.h"
#include "probes/uas.h"
#include "text/blimp.h"

#include <ATen/core/Tensor.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace chrysalis::engine {
class BertForMaskedLM;
}

namespace chrysalis::probes {

inline const std::vector<std::string> kProbeKinds{"loss", "uas",   "blimp",    "twonn",
                                                  "attn", "ngram", "ablation", "path"};
// The kinds that read the MLM head's logits: a series imported from BertModel
// checkpoints (SeriesMeta::hasMlmHead false) cannot compute them.
inline const std::vector<std::string> kMlmHeadKinds{"loss", "blimp", "ngram", "ablation", "path"};
// The path probe's points on the line between two checkpoints, ends included.
inline constexpr int kPathPoints = 9;

// The ablation probe (docs/probes.md, "ablation").
struct AblationOptions {
  std::string heads = "top:3"; // probes/head_choice.h
  std::string mode = "zero";   // zero | mean (each head's mean context over the probe set)
  uint64_t seed = 7;           // random:K and the control's draw
  bool control = true;         // also ablate as many random heads, none of the chosen ones
};

struct ProberOptions {
  UasOptions uas;
  uint64_t lossSeed = 1234; // fixed masking pattern for the held-out loss
  double maskRate = 0.15;
  size_t twonnPoints = 500;  // first N probe sentences
  int64_t twonnLayer = -1;   // hidden-state index; -1 = the final layer
  size_t ngramPositions = 4; // held-out positions per sentence
  uint64_t ngramSeed = 99;
  size_t blimpPerTask = 0; // 0 = every pair
  uint64_t blimpSeed = 0;
  size_t maxBatch = 64;    // sequences per forward
  size_t maxTokens = 8192; // padded tokens per forward
  // The loss and pseudo-likelihood passes on the CPU: forwards run side by
  // side on this many threads, each with a one-thread BLAS (0 = one per BLAS
  // thread for models of hidden size up to 256, else one).
  int cpuLanes = 0;
  size_t pllTokens = 2048; // padded tokens per pseudo-likelihood forward
  AblationOptions ablation;
};

// Heads masked in a forward (engine::ForwardOptions::headKeep/headFill);
// undefined tensors = the intact model.
struct HeadMask {
  at::Tensor keep; // float [L,H]
  at::Tensor fill; // float [L,H,dh] or undefined (zeros)
};

// The configuration JSON each kind's results are stored under (docs/probes.md).
nlohmann::json probeConfig(const std::string& kind, const ProberOptions& o,
                           const std::string& probeSetHash, const std::string& blimpHash);

class CheckpointProber {
public:
  CheckpointProber(const ProbeSet& set, const text::WordPieceTokenizer& tokenizer,
                   size_t maxPositions, const text::BlimpSuite* blimp, ProberOptions options);

  // Runs `kinds` on `model` (eval mode, no grad). Stops early, returning
  // what is complete, when *cancel becomes true.
  std::map<std::string, format::ProbeResult> run(engine::BertForMaskedLM& model,
                                                 const std::set<std::string>& kinds,
                                                 const std::atomic<bool>* cancel = nullptr) const;

  // Exposed for tests.
  format::ProbeResult structure(engine::BertForMaskedLM& model, bool uas, bool attn, bool twonn,
                                const std::atomic<bool>* cancel) const;
  format::ProbeResult loss(engine::BertForMaskedLM& model, const std::atomic<bool>* cancel,
                           const HeadMask& mask = {}) const;
  format::ProbeResult ngram(engine::BertForMaskedLM& model, const std::atomic<bool>* cancel) const;
  format::ProbeResult blimp(engine::BertForMaskedLM& model, const std::atomic<bool>* cancel,
                            const HeadMask& mask = {}) const;
  // Loss, UAS (and BLiMP when a suite was given) with the chosen heads
  // ablated, against the intact model and a random control.
  format::ProbeResult ablation(engine::BertForMaskedLM& model,
                               const std::atomic<bool>* cancel) const;
  // The held-out loss at kPathPoints evenly spaced points on the straight
  // line from `start`'s weights to `end`'s (docs/method.md, "Loss along the
  // path"); `end` and `start` are left as they were. Not part of run(): it
  // needs two checkpoints (the runner pairs each with the previous one).
  format::ProbeResult path(engine::BertForMaskedLM& end, engine::BertForMaskedLM& start,
                           const std::atomic<bool>* cancel) const;
  // Pseudo-log-likelihood of each sequence ([CLS] ... [SEP]), all masked
  // copies of many sequences batched together.
  std::vector<double> pseudoLogLikelihood(engine::BertForMaskedLM& model,
                                          const std::vector<std::vector<int64_t>>& seqs,
                                          const std::atomic<bool>* cancel,
                                          const HeadMask& mask = {}) const;
  // The same with the copies already planned (planMaskedCopies(seqs)).
  std::vector<double> pseudoLogLikelihood(engine::BertForMaskedLM& model,
                                          const std::vector<std::vector<int64_t>>& seqs,
                                          const MaskedCopyPlan& plan,
                                          const std::atomic<bool>* cancel,
                                          const HeadMask& mask) const;
  const std::string& blimpHash() const { return m_blimpHash; }

private:
  // The UAS forward over the probe set with `mask` applied; when `headMean`
  // is given, also each head's context averaged over every real token [L,H,dh].
  std::unique_ptr<UasAccumulator> uasPass(engine::BertForMaskedLM& model, const HeadMask& mask,
                                          const std::atomic<bool>* cancel,
                                          at::Tensor* headMean = nullptr) const;

  const ProbeSet& m_set;
  ProberOptions m_options;
  text::SpecialIds m_specials;
  int64_t m_vocabSize;
  std::vector<EncodedSentence> m_encoded;
  // BLiMP: the tokenized good sentences of the pairs, then the bad ones
  // (planned together, so a pair's shared copy is forwarded once, and once
  // per prober, not per checkpoint), each pair's task index, the task names.
  std::vector<std::vector<int64_t>> m_blimpSentences;
  MaskedCopyPlan m_blimpPlan;
  std::vector<int64_t> m_blimpTask;
  std::vector<std::string> m_blimpTasks, m_blimpPhenomena;
  std::string m_blimpHash;
};

} // namespace chrysalis::probes
