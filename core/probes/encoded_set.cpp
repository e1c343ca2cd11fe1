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
                                               size_t maxTokens) {
  std::vector<size_t> order(lengths.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return lengths[a] < lengths[b]; });
  std::vector<std::vector<size_t>> batches;
  std::vector<size_t> cur;
  for (size_t i : order) {
    // Sorted ascending, so the new sequence is the longest of the batch.
    if (!cur.empty() && (cur.size() >= maxBatch || (cur.size() + 1) * lengths[i] > maxTokens)) {
      batches.push_back(std::move(cur));
      cur.clear();
    }
    cur.push_back(i);
  }
  if (!cur.empty()) batches.push_back(std::move(cur));
  return batches;
}

} // namespace chrysalis::probes
