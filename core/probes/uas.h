#pragma once
// UAS of attention heads against gold dependency parses (docs/method.md, "SAS
// and UAS"), from word-level attention maps. Pure C++: the engine computes the
// maps, this accumulates and scores them, and hand-worked tests can feed it.
#include "format/probe_store.h"
#include "probes/probe_set.h"
#include "text/wordpiece.h"

#include <cstdint>
#include <string>
#include <vector>

namespace chrysalis::probes {

struct UasOptions {
  // Relations with fewer occurrences in the probe set are excluded from the
  // implicit parse (docs/method.md, "SAS and UAS": 100; configurable for
  // small sets).
  size_t minRelationCount = 100;
};

// Word-level maps of one sentence from piece-level attention: `attention`
// holds `maps` matrices of T x T (rows = queries), `spans` the pieces of each
// word ([CLS] is piece 0, [SEP] piece T-1). Attention to a word is the sum
// over its pieces, from a word the mean over its pieces; [CLS] and [SEP] stay
// words of their own. Returns `maps` matrices of W x W, W = words + 2.
std::vector<float> wordLevelMaps(const float* attention, size_t maps, size_t T,
                                 const std::vector<text::PieceSpan>& spans);

// Word-level map of one sentence for one head: W x W, W = words + 2 ([CLS]
// at 0, words 1..n, [SEP] at n+1); rows are "from", columns "to": attention
// to a word is the sum over its pieces, from a word the mean over its pieces.
class UasAccumulator {
public:
  UasAccumulator(int64_t layers, int64_t heads, const ProbeSet& set, UasOptions options = {});

  // `maps` holds layers*heads word-level maps of sentence `s`, each W x W
  // row-major (head index = layer * heads + head). Each sentence once.
  void addSentence(size_t s, const float* maps, size_t W);

  // Scores: the implicit parse, all-words, offset baseline, mean attention
  // on the gold parent, per-relation best candidates, per-head accuracy.
  // Heads flagged in `excludedHeads` (layer * heads + head) cannot be a
  // relation's best candidate, so the parse is what the other heads encode
  // (the ablation probe); their own accuracies are still reported.
  format::ProbeResult finish(const std::vector<bool>& excludedHeads = {}) const;

  // Parent predicted for word i (1-based) of the last added sentence by
  // candidate (head index, direction): for tests.
  int32_t lastPrediction(size_t headIndex, int direction, size_t word) const;

private:
  size_t candidates() const { return static_cast<size_t>(m_layers * m_heads) * 2; }
  int64_t m_layers, m_heads;
  const ProbeSet& m_set;
  UasOptions m_options;
  std::vector<size_t> m_wordOffset;     // first global word index of each sentence
  std::vector<int32_t> m_relationIndex; // per global word
  std::vector<std::string> m_relations;
  std::vector<uint8_t> m_correct;      // [word][candidate]
  std::vector<double> m_goldAttention; // [word][candidate] attention on the gold parent
  std::vector<int32_t> m_lastPred;     // [candidate][word] of the last sentence
  std::vector<bool> m_added;
};

} // namespace chrysalis::probes
