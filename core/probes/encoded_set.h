#pragma once
// Probe sentences tokenized once per run (not per checkpoint), and batches
// grouped by length so that little of each batch is padding.
#include "probes/probe_set.h"
#include "text/wordpiece.h"

#include <cstdint>
#include <vector>

namespace chrysalis::probes {

struct EncodedSentence {
  std::vector<int64_t> ids;           // [CLS] pieces [SEP]
  std::vector<text::PieceSpan> spans; // one per word, offsets into ids
};

std::vector<EncodedSentence> encodeProbeSet(const ProbeSet& set,
                                            const text::WordPieceTokenizer& tok, size_t maxPieces);

// Indices of sequences, sorted by length and cut into batches of at most
// maxBatch sequences and maxTokens padded tokens (batch size x longest).
std::vector<std::vector<size_t>> lengthBatches(const std::vector<size_t>& lengths, size_t maxBatch,
                                               size_t maxTokens);

} // namespace chrysalis::probes
