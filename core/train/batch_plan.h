#pragma once
// The order in which sequences are seen: epoch by epoch, a seeded shuffle,
// then length bucketing (sort by length inside windows of 50 batches, cut
// into batches, shuffle the batches) so that little padding is computed.
// Batch g of the whole run is a pure function of (seed, g): a resumed run, a
// run with gradient accumulation and a data-parallel run all see the same
// batches without storing any random state. No LibTorch here.
#include <cstdint>
#include <vector>

namespace chrysalis::train {

// Derives independent seeds from the run's seed and a few integers.
uint64_t mixSeed(uint64_t seed, uint64_t a, uint64_t b = 0, uint64_t c = 0);

class BatchPlan {
public:
  static constexpr int64_t kBucketWindow = 50; // batches per sorting window

  // lengths[i] = length of sequence i. Throws std::invalid_argument when
  // there are fewer sequences than one batch.
  BatchPlan(std::vector<int32_t> lengths, int64_t batchSize, uint64_t seed);

  // Full batches per epoch; the remainder of an epoch's shuffle is skipped
  // (drop-last) so that every batch has batchSize sequences.
  int64_t batchesPerEpoch() const { return m_batchesPerEpoch; }
  int64_t epochOf(int64_t g) const { return g / m_batchesPerEpoch; }
  int64_t positionOf(int64_t g) const { return g % m_batchesPerEpoch; }

  // Sequence indices of global batch g (g = 0, 1, ... over the whole run).
  std::vector<int32_t> batch(int64_t g);
  // Real tokens (sum of lengths) of batch g.
  int64_t tokens(int64_t g);

private:
  void planEpoch(int64_t epoch);

  std::vector<int32_t> m_lengths;
  int64_t m_batchSize;
  uint64_t m_seed;
  int64_t m_batchesPerEpoch;
  int64_t m_epoch = -1;
  std::vector<std::vector<int32_t>> m_batches; // of m_epoch
};

} // namespace chrysalis::train
