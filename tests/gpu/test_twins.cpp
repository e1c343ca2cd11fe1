// The CPU twins of the gpu/ kernels (chrysalis_gpu_reference) against core:
// by hand, on random batches and on the tiny-bert fixture's real attention.
// These need no GPU and run wherever gpu/ is built.
#include "chrysalis/gpu/kernels.h"
#include "chrysalis/gpu/reference.h"
#include "gpu_test_data.h"
#include "probes/attention_shape.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace chrysalis;
using chrysalis::gpu::AttentionLayout;
using chrysalis::gpu::UasBatch;
namespace tg = chrysalis::test::gpu;

namespace {

// Two sentences, padded to T = 6, relations det = 0, nsubj = 1, root = 2.
tg::AttentionBatch handWorkedBatch() {
  tg::AttentionBatch b;
  b.relations = 3;
  b.layout = AttentionLayout::batchMajor(2, 1, 1, 6);
  b.attention.assign(static_cast<size_t>(b.layout.extent()), 0.0f);
  // Sentence 0, "the cat sat", one piece per word (T_b = 5): the hand-worked
  // word map of tests/probes/test_uas_handworked.cpp used as piece attention.
  const float s0[5][5] = {
      {0.2f, 0.2f, 0.2f, 0.2f, 0.2f}, //
      {0.3f, 0.1f, 0.4f, 0.1f, 0.1f}, // the -> cat
      {0.1f, 0.3f, 0.1f, 0.4f, 0.1f}, // cat -> sat
      {0.5f, 0.2f, 0.2f, 0.0f, 0.1f}, // sat -> the/cat tie: the
      {0.2f, 0.2f, 0.2f, 0.2f, 0.2f},
  };
  for (int q = 0; q < 5; ++q)
    for (int k = 0; k < 5; ++k)
      b.attention[static_cast<size_t>(q * 6 + k)] = s0[q][k];
  b.words.add({{1, 2}, {2, 3}, {3, 4}}, {2, 3, 0}, {0, 1, 2});
  // Sentence 1: w1 | w2 = pieces 2-3 | w3, heads w1 -> w2 -> w3 (root). Dyadic
  // values, so every sum below is exact.
  const float s1[6][6] = {
      {0.125f, 0.125f, 0.25f, 0.25f, 0.125f, 0.125f},
      // w1: to w2 0.25 + 0.25 = 0.5 beats w3 0.375 only because pieces are summed
      {0.125f, 0.0f, 0.25f, 0.25f, 0.375f, 0.0f},
      // w2 (mean of two rows): to w1 (0.5 + 0.125) / 2 = 0.3125, to w3 (0.25 + 0.625) / 2 = 0.4375
      {0.125f, 0.5f, 0.0f, 0.0f, 0.25f, 0.125f},
      {0.125f, 0.125f, 0.0f, 0.0f, 0.625f, 0.125f},
      // w3: to w1 0.3125, to w2 0.15625 * 2 = 0.3125: a tie, the first (w1) wins
      {0.125f, 0.3125f, 0.15625f, 0.15625f, 0.0f, 0.25f},
      {0.125f, 0.125f, 0.25f, 0.25f, 0.125f, 0.125f},
  };
  for (int q = 0; q < 6; ++q)
    for (int k = 0; k < 6; ++k)
      b.attention[static_cast<size_t>(36 + q * 6 + k)] = s1[q][k];
  b.words.add({{1, 2}, {2, 4}, {4, 5}}, {2, 3, 0}, {0, 1, 2});
  return b;
}

} // namespace

TEST(UasTwin, HandWorkedCounts) {
  const auto b = handWorkedBatch();
  std::vector<int64_t> counts(6, 0);
  gpu::reference::uasCorrectCounts(b.attention.data(), b.layout, b.words, b.relations,
                                   counts.data());
  // dep->head: det and nsubj right in both sentences; root never.
  // head<-dep: "the"/w1 is attended most by its head in both sentences
  // (sentence 1: w2 0.3125 ties w3 0.3125, the first wins); nsubj never.
  EXPECT_EQ(counts, (std::vector<int64_t>{2, 2, 0, 2, 0, 0}));
  EXPECT_EQ(tg::proberCounts(b), counts);
}

TEST(UasTwin, CountsAccumulate) {
  const auto b = handWorkedBatch();
  std::vector<int64_t> counts(6, 1);
  gpu::reference::uasCorrectCounts(b.attention.data(), b.layout, b.words, b.relations,
                                   counts.data());
  EXPECT_EQ(counts, (std::vector<int64_t>{3, 3, 1, 3, 1, 1}));
}

TEST(UasTwin, UncountedWordsAreSkipped) {
  auto b = handWorkedBatch();
  b.words.relation[0] = -1; // sentence 0's "the"
  std::vector<int64_t> counts(6, 0);
  gpu::reference::uasCorrectCounts(b.attention.data(), b.layout, b.words, b.relations,
                                   counts.data());
  EXPECT_EQ(counts, (std::vector<int64_t>{1, 2, 0, 1, 0, 0}));
}

TEST(UasTwin, MatchesProberOnRandomBatches) {
  uint32_t seed = 1;
  for (const auto& c : tg::uasCases(false))
    for (int rep = 0; rep < 3; ++rep) {
      // The prober's accumulator has no "uncounted" relation.
      auto o = c.options;
      o.uncounted = false;
      const auto b = tg::randomBatch(seed++, o);
      EXPECT_EQ(tg::twinCounts(b), tg::proberCounts(b)) << c.what << ", seed " << seed - 1;
    }
}

TEST(UasTwin, MatchesProberOnTinyBertAttention) {
  for (uint32_t seed : {1u, 2u, 3u}) {
    const auto b = tg::tinyBertBatch(seed, 4);
    EXPECT_EQ(tg::twinCounts(b), tg::proberCounts(b)) << "seed " << seed;
  }
}

TEST(UasTwin, RejectsInconsistentBatches) {
  auto b = handWorkedBatch();
  std::vector<int64_t> counts(6, 0);
  auto run = [&](const tg::AttentionBatch& x) {
    gpu::reference::uasCorrectCounts(x.attention.data(), x.layout, x.words, x.relations,
                                     counts.data());
  };
  auto bad = b;
  bad.words.pieceEnd[1] = 6; // past [SEP] of the padded length
  EXPECT_THROW(run(bad), std::invalid_argument);
  bad = b;
  bad.words.pieceBegin[0] = 0; // [CLS] is no word piece
  EXPECT_THROW(run(bad), std::invalid_argument);
  bad = b;
  bad.words.head[2] = 4; // three words
  EXPECT_THROW(run(bad), std::invalid_argument);
  bad = b;
  bad.words.relation[2] = 3;
  EXPECT_THROW(run(bad), std::invalid_argument);
  bad = b;
  bad.words.wordOffset.pop_back();
  EXPECT_THROW(run(bad), std::invalid_argument);
}

TEST(TwoNnTwin, HandWorkedDistances) {
  // Points on a line at 0, 1, 3, 7 and a duplicate of 3.
  const std::vector<float> x{0, 1, 3, 7, 3};
  std::vector<double> f(5), s(5);
  gpu::reference::twoNnNeighbours(x.data(), 5, 1, f.data(), s.data());
  EXPECT_EQ(f, (std::vector<double>{1, 1, 0, 16, 0}));
  EXPECT_EQ(s, (std::vector<double>{9, 4, 4, 16, 4}));
  // One point has no neighbour, two have no second.
  gpu::reference::twoNnNeighbours(x.data(), 2, 1, f.data(), s.data());
  EXPECT_EQ(f[0], 1.0);
  EXPECT_EQ(s[0], std::numeric_limits<double>::infinity());
}

TEST(TwoNnTwin, MatchesCoreTwoNn) {
  // core's twoNn forms distances with one double GEMM; the fit on the twin's
  // distances must agree with it.
  for (auto [n, d] : {std::pair<int64_t, int64_t>{50, 3}, {400, 16}, {300, 64}}) {
    const auto x = tg::randomPoints(static_cast<uint32_t>(n + d), n, d, false);
    std::vector<double> f(static_cast<size_t>(n)), s(static_cast<size_t>(n));
    gpu::reference::twoNnNeighbours(x.data(), n, d, f.data(), s.data());
    const auto twin = tg::twoNnFromSquared(f, s);
    const auto core = probes::twoNn(x.data(), n, d);
    EXPECT_EQ(twin.used, core.used) << n << " x " << d;
    EXPECT_NEAR(twin.id, core.id, 1e-9 * std::abs(core.id)) << n << " x " << d;
    EXPECT_NEAR(twin.r, core.r, 1e-9) << n << " x " << d;
  }
}

TEST(GpuDevice, QueryNeverFails) {
  // Here (no GPU, no driver) this is 0; on a GPU node, at least 1.
  const int n = gpu::gpuDeviceCount();
  EXPECT_GE(n, 0);
  EXPECT_EQ(gpu::gpuDeviceName(-1), "");
  EXPECT_EQ(gpu::gpuDeviceName(n), "");
  EXPECT_FALSE(gpu::gpuRuntimeVersion().empty());
  if (n == 0) {
    EXPECT_THROW(gpu::DeviceBuffer(16), gpu::CudaError);
  }
}
