#include "train/batch_plan.h"

#include "text/splitmix.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <string>

namespace chrysalis::train {

uint64_t mixSeed(uint64_t seed, uint64_t a, uint64_t b, uint64_t c) {
  text::SplitMix64 m(seed ^ 0x6A09E667F3BCC909ULL);
  uint64_t h = m.next();
  for (uint64_t v : {a, b, c}) {
    text::SplitMix64 step(h ^ (v * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL));
    h = step.next();
  }
  return h;
}

namespace {
// Fisher–Yates with the project's portable generator (std::shuffle's
// algorithm is implementation-defined).
template <class T> void shuffle(std::vector<T>& v, text::SplitMix64& rng) {
  for (size_t i = v.size(); i > 1; --i)
    std::swap(v[i - 1], v[rng.below(i)]);
}
constexpr uint64_t kOrderStream = 1;
} // namespace

BatchPlan::BatchPlan(std::vector<int32_t> lengths, int64_t batchSize, uint64_t seed)
    : m_lengths(std::move(lengths)), m_batchSize(batchSize), m_seed(seed),
      m_batchesPerEpoch(static_cast<int64_t>(m_lengths.size()) / std::max<int64_t>(1, batchSize)) {
  if (batchSize <= 0 || m_batchesPerEpoch == 0)
    throw std::invalid_argument("the training data has " + std::to_string(m_lengths.size()) +
                                " sequences, fewer than one batch of " + std::to_string(batchSize));
}

void BatchPlan::planEpoch(int64_t epoch) {
  text::SplitMix64 rng(mixSeed(m_seed, kOrderStream, static_cast<uint64_t>(epoch)));
  std::vector<int32_t> order(m_lengths.size());
  std::iota(order.begin(), order.end(), 0);
  shuffle(order, rng);
  order.resize(static_cast<size_t>(m_batchesPerEpoch * m_batchSize)); // drop-last
  const auto window = static_cast<size_t>(kBucketWindow * m_batchSize);
  for (size_t begin = 0; begin < order.size(); begin += window) {
    auto first = order.begin() + static_cast<std::ptrdiff_t>(begin);
    auto last = order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), begin + window));
    std::stable_sort(first, last,
                     [&](int32_t a, int32_t b) { return m_lengths[a] < m_lengths[b]; });
  }
  m_batches.assign(static_cast<size_t>(m_batchesPerEpoch), {});
  for (int64_t b = 0; b < m_batchesPerEpoch; ++b)
    m_batches[b].assign(order.begin() + b * m_batchSize, order.begin() + (b + 1) * m_batchSize);
  shuffle(m_batches, rng);
  m_epoch = epoch;
}

std::vector<int32_t> BatchPlan::batch(int64_t g) {
  if (epochOf(g) != m_epoch) planEpoch(epochOf(g));
  return m_batches[static_cast<size_t>(positionOf(g))];
}

int64_t BatchPlan::tokens(int64_t g) {
  if (epochOf(g) != m_epoch) planEpoch(epochOf(g));
  int64_t n = 0;
  for (int32_t i : m_batches[static_cast<size_t>(positionOf(g))])
    n += m_lengths[static_cast<size_t>(i)];
  return n;
}

} // namespace chrysalis::train
