#pragma once
// What the UAS-count kernel and its CPU twin read: where each attention map
// of a batch lies, and the words of the batch's sentences (pieces, gold
// heads, relation ids). Plain C++: no CUDA, no LibTorch, no Qt.
#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace chrysalis::gpu {

// Attention probabilities of a batch, float. The map of (sentence b, layer l,
// head h) starts at element b * strideBatch + l * strideLayer + h * strideHead
// and is T x T row-major (rows = queries); T is the padded length.
struct AttentionLayout {
  int64_t batch = 0, layers = 0, heads = 0, T = 0;
  int64_t strideBatch = 0, strideLayer = 0, strideHead = 0;

  // [B, L, H, T, T], contiguous.
  static AttentionLayout batchMajor(int64_t B, int64_t L, int64_t H, int64_t T) {
    return {B, L, H, T, L * H * T * T, H * T * T, T * T};
  }
  // [L, B, H, T, T], contiguous: torch::stack(BertOutputs::attentions, 0).
  static AttentionLayout layerMajor(int64_t L, int64_t B, int64_t H, int64_t T) {
    return {B, L, H, T, H * T * T, B * H * T * T, T * T};
  }
  // Elements a buffer must hold for every map to lie inside it.
  int64_t extent() const {
    if (batch == 0 || layers == 0 || heads == 0 || T == 0) return 0;
    return (batch - 1) * strideBatch + (layers - 1) * strideLayer + (heads - 1) * strideHead +
           T * T;
  }
};

// The words of a batch, flattened over its sentences: sentence b owns words
// wordOffset[b] .. wordOffset[b + 1] - 1. Piece indices are positions in the
// sentence's sequence ([CLS] is piece 0, so a word's pieces are in [1, T-1)).
struct UasBatch {
  std::vector<int32_t> wordOffset; // B + 1 entries, starting at 0
  std::vector<int32_t> pieceBegin; // per word: its first piece
  std::vector<int32_t> pieceEnd;   // per word: one past its last piece
  std::vector<int32_t> head;       // per word: gold parent, 1-based in the sentence, 0 = root
  std::vector<int32_t> relation;   // per word: relation id in [0, R), or -1 (not counted)

  size_t sentences() const { return wordOffset.empty() ? 0 : wordOffset.size() - 1; }
  size_t words() const { return pieceBegin.size(); }
  int32_t maxWords() const {
    int32_t m = 0;
    for (size_t b = 0; b + 1 < wordOffset.size(); ++b)
      m = std::max(m, wordOffset[b + 1] - wordOffset[b]);
    return m;
  }
  // Appends one sentence.
  void add(const std::vector<std::pair<int32_t, int32_t>>& spans, const std::vector<int32_t>& heads,
           const std::vector<int32_t>& relations) {
    if (wordOffset.empty()) wordOffset.push_back(0);
    for (size_t i = 0; i < spans.size(); ++i) {
      pieceBegin.push_back(spans[i].first);
      pieceEnd.push_back(spans[i].second);
      head.push_back(i < heads.size() ? heads[i] : 0);
      relation.push_back(i < relations.size() ? relations[i] : -1);
    }
    wordOffset.push_back(static_cast<int32_t>(pieceBegin.size()));
  }
};

// Counts output: [layers, heads, 2 directions, relations], int64; direction 0
// is dep->head (row i of the word map), 1 is head<-dep (column i).
inline size_t countIndex(int64_t layer, int64_t head, int direction, int64_t relation,
                         int64_t heads, int64_t relations) {
  return static_cast<size_t>(((layer * heads + head) * 2 + direction) * relations + relation);
}

// Throws std::invalid_argument naming the first inconsistency.
inline void validateUasBatch(const AttentionLayout& a, const UasBatch& w, int64_t relations) {
  auto fail = [](const std::string& why) { throw std::invalid_argument("UAS batch: " + why); };
  if (a.batch < 0 || a.layers < 0 || a.heads < 0 || a.T < 0) fail("negative attention size");
  if (relations < 0) fail("negative relation count");
  if (w.wordOffset.size() != static_cast<size_t>(a.batch) + 1 &&
      !(a.batch == 0 && w.wordOffset.empty()))
    fail("wordOffset has " + std::to_string(w.wordOffset.size()) + " entries for " +
         std::to_string(a.batch) + " sentences");
  const size_t n = w.pieceBegin.size();
  if (w.pieceEnd.size() != n || w.head.size() != n || w.relation.size() != n)
    fail("pieceBegin, pieceEnd, head and relation differ in length");
  if (!w.wordOffset.empty() &&
      (w.wordOffset.front() != 0 || static_cast<size_t>(w.wordOffset.back()) != n))
    fail("wordOffset must run from 0 to the number of words");
  for (size_t b = 0; b < w.sentences(); ++b) {
    const int32_t first = w.wordOffset[b], last = w.wordOffset[b + 1];
    if (last < first) fail("wordOffset decreases at sentence " + std::to_string(b));
    const int32_t words = last - first;
    for (int32_t k = first; k < last; ++k) {
      const std::string where =
          "sentence " + std::to_string(b) + " word " + std::to_string(k - first + 1);
      if (w.pieceBegin[k] < 1 || w.pieceEnd[k] <= w.pieceBegin[k] || w.pieceEnd[k] > a.T - 1)
        fail(where + ": pieces [" + std::to_string(w.pieceBegin[k]) + ", " +
             std::to_string(w.pieceEnd[k]) + ") not inside [1, T-1)");
      if (w.head[k] < 0 || w.head[k] > words)
        fail(where + ": head " + std::to_string(w.head[k]) + " out of range");
      if (w.relation[k] < -1 || w.relation[k] >= relations)
        fail(where + ": relation " + std::to_string(w.relation[k]) + " out of range");
    }
  }
}

} // namespace chrysalis::gpu
