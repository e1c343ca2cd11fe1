#pragma once
// Per-head attention shape (docs/method.md, "Attention shape"): entropy of
// each head's attention rows and its mean attention distance in words.
#include "format/probe_store.h"

#include <cstdint>
#include <vector>

namespace chrysalis::probes {

class AttentionShapeAccumulator {
public:
  AttentionShapeAccumulator(int64_t layers, int64_t heads);
  // Word-level maps as for UasAccumulator (layers*heads maps of W x W). The
  // distance of word i is sum_j m[i][j] |i - j| / sum_j m[i][j] over the
  // sentence's words (no [CLS]/[SEP]); a head's distance is the mean over words.
  void addWordMaps(const float* maps, size_t W);
  // Entropy (nats) summed over `rows` attention rows, per head (layers*heads).
  void addEntropy(const std::vector<double>& entropySums, double rows);
  // Piece-level maps of one sentence (layers*heads maps of T x T, [CLS] at
  // piece 0, [SEP] at T-1). For each content piece's row (not [CLS]/[SEP]):
  // the sink share, mass sent to [CLS] and [SEP], and the entropy over the
  // whole row (every key, specials included); each averaged over those rows.
  // A head that parks its attention on the specials has a share near 1 and a
  // low full-row entropy, which word-level distance, renormalised over
  // words, cannot show (docs/method.md, "Attention shape").
  void addPieceMaps(const float* attention, size_t T);
  format::ProbeResult finish() const;

private:
  int64_t m_layers, m_heads;
  std::vector<double> m_distanceSum, m_entropySum, m_sinkSum, m_fullEntropySum;
  double m_words = 0, m_rows = 0, m_contentRows = 0;
};

// TwoNN intrinsic dimension (Facco et al. 2017; docs/method.md, "TwoNN
// intrinsic dimension").
struct TwoNnResult {
  double id = 0;   // slope of -log(1-F) on log(mu) through the origin
  double r = 0;    // Pearson r of that fit
  size_t used = 0; // points kept (r1 > 0 and r1 != r2)
};
// `data` is N x D row-major. Distances come from one GEMM (LibTorch).
TwoNnResult twoNn(const float* data, int64_t n, int64_t d);
// The same from given first/second neighbour distances (the fit alone).
TwoNnResult twoNnFromDistances(const std::vector<double>& r1, const std::vector<double>& r2);

} // namespace chrysalis::probes
