#include "probes/encoded_set.h"

#include "common/error.h"

#include <algorithm>
#include <numeric>

namespace chrysalis::probes {

std::vector<EncodedSentence> encodeProbeSet(const ProbeSet& set,
                                            const text::WordPieceTokenizer& tok, size_t maxPieces) {
  std::vector<EncodedSentence> out;
  out.reserve(set.sentences.size());
  for (size_t s = 0; s < set.sentences.size(); ++s) {
    auto a = tok.encodeWords(set.sentences[s].words, maxPieces);
    if (a.truncatedCount() > 0)
      throw std::invalid_argument("probe sentence " + std::to_string(s) + " (" +
                                  set.sentences[s].sentId + ") does not fit the model's " +
                                  std::to_string(maxPieces) +
                                  " positions; rebuild the probe set with --max-pieces");
    out.push_back({std::vector<int64_t>(a.ids.begin(), a.ids.end()), a.spans});
  }
  return out;
}

std::vector<std::vector<size_t>> lengthBatches(const std::vector<size_t>& lengths, size_t maxBatch,
                                               size_t maxTokens, double maxPaddingShare) {
  std::vector<size_t> order(lengths.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return lengths[a] < lengths[b]; });
  std::vector<std::vector<size_t>> batches;
  std::vector<size_t> cur;
  size_t real = 0; // tokens in cur
  for (size_t i : order) {
    // Sorted ascending, so the new sequence is the longest of the batch.
    const size_t padded = (cur.size() + 1) * lengths[i];
    if (!cur.empty() && (cur.size() >= maxBatch || padded > maxTokens ||
                         static_cast<double>(padded) >
                             (1.0 + maxPaddingShare) * static_cast<double>(real + lengths[i]))) {
      batches.push_back(std::move(cur));
      cur.clear();
      real = 0;
    }
    cur.push_back(i);
    real += lengths[i];
  }
  if (!cur.empty()) batches.push_back(std::move(cur));
  return batches;
}

} // namespace chrysalis::probes
