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

// How much padding a batch may carry: its padded tokens (size x longest) at
// most this share above its real ones. Measured on loss + UAS over 200 EWT
// sentences (bench_probe, 2-core VM, 2026-12-07): 12 x 768 took 11.5-11.9 s
// with no limit (the last of four 64-sentence batches padded 8 sentences of
// 45-128 pieces to 128), 11.1 s at 0.5, 9.5-9.8 at 0.25, 9.3 at 0.15, 9.6 at
// 0.10 and 10.2 at 0.05 (smaller batches: less efficient products).
inline constexpr double kMaxPaddingShare = 0.15;

// Indices of sequences, sorted by length and cut into batches of at most
// maxBatch sequences and maxTokens padded tokens (batch size x longest), with
// at most maxPaddingShare of padding (a batch of one sequence has none).
std::vector<std::vector<size_t>> lengthBatches(const std::vector<size_t>& lengths, size_t maxBatch,
                                               size_t maxTokens,
                                               double maxPaddingShare = kMaxPaddingShare);

} // namespace chrysalis::probes
