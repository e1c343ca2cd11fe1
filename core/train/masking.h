#pragma once
// Dynamic masking as BERT and Hugging Face's DataCollatorForLanguageModeling
// do it: each real token other than [CLS]/[SEP]/[PAD] is chosen with
// probability maskProb; a chosen token becomes [MASK] (80%), a random
// non-special token (10%) or stays (10%). The draw is a pure function of the
// seed, so batches are reproducible anywhere. Builds the flat arrays the
// trainer turns into tensors. No LibTorch here.
#include "text/vocab.h"
#include "train/corpus.h"

#include <cstdint>
#include <vector>

namespace chrysalis::train {

struct MaskingOptions {
  double maskProb = 0.15;
  double replaceWithMask = 0.8;
  double replaceWithRandom = 0.1; // the rest stays unchanged
};

struct MaskedBatch {
  int64_t batch = 0;                    // B
  int64_t length = 0;                   // T (longest sequence)
  std::vector<int64_t> inputIds;        // [B*T] after masking, [PAD]-filled
  std::vector<int64_t> originalIds;     // [B*T] before masking
  std::vector<int64_t> attentionMask;   // [B*T] 1 = real token
  std::vector<int64_t> maskedPositions; // flat b*T + t, ascending
  std::vector<int64_t> targets;         // original id at each masked position
  std::vector<int64_t> pairs;           // [P*3] rows (b, dependent piece, head piece)
  int64_t tokens = 0;                   // real tokens
  int64_t pairCount() const { return static_cast<int64_t>(pairs.size() / 3); }
};

// Pads `examples` to the longest, masks them with SplitMix64(seed). At least
// one position is masked (when the batch has any maskable token), so the MLM
// loss is always defined.
MaskedBatch makeMaskedBatch(const std::vector<const TrainExample*>& examples,
                            const text::SpecialIds& specials, int64_t vocabSize, uint64_t seed,
                            const MaskingOptions& options = {});

} // namespace chrysalis::train
