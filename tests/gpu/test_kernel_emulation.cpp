// The CUDA kernels' own source (gpu/src/*_kernel.cuh), compiled for the CPU
// with cuda_emulation.h and run with real threads and barriers, against the
// CPU twins. This checks the kernels' logic (indexing, shared-memory bands,
// the column scan across bands, the fused top-2 merge, tie-breaking) where
// no GPU is available; test_kernels.cpp runs the real thing on a GPU.
#include "cuda_emulation.h"
// (the kernels after the emulation)
#include "twonn_kernel.cuh"
#include "uas_counts_kernel.cuh"

#include "chrysalis/gpu/reference.h"
#include "gpu_test_data.h"

#include <gtest/gtest.h>

using namespace chrysalis;
namespace tg = chrysalis::test::gpu;

namespace {

std::vector<int64_t> emulatedCounts(const tg::AttentionBatch& b, unsigned threads) {
  using namespace chrysalis::gpu::uas_kernel;
  const auto& lay = b.layout;
  gpu::validateUasBatch(lay, b.words, b.relations);
  std::vector<int64_t> counts(static_cast<size_t>(lay.layers * lay.heads * 2 * b.relations), 0);
  if (b.words.words() == 0) return counts;
  const LaunchPlan plan = planLaunch(b.words.maxWords());
  const auto packed = packWords(b.words);
  const DeviceWords w = unpackWords(packed.data(), b.words.sentences(), b.words.words());
  chrysalis_cuda_emulation::launch(
      static_cast<unsigned>(lay.layers * lay.heads), static_cast<unsigned>(lay.batch), threads,
      plan.sharedBytes, [&] {
        uasCountsKernel(b.attention.data(), lay.T, lay.strideBatch, lay.strideLayer, lay.strideHead,
                        static_cast<int>(lay.heads), 0, w, b.relations,
                        reinterpret_cast<unsigned long long*>(counts.data()), plan.chunkRows,
                        std::max(b.words.maxWords(), 1));
      });
  return counts;
}

} // namespace

TEST(EmulatedUasKernel, MatchesTwin) {
  struct Case {
    tg::RandomBatchOptions o;
    unsigned threads;
    const char* what;
  };
  std::vector<Case> cases;
  // Few threads keep the emulation quick; the kernel's loops stride by blockDim.
  cases.push_back({{1, 1, 1, 1, 1, 2, false, false}, 32, "one word"});
  cases.push_back({{2, 1, 2, 6, 1, 4, false, false}, 256, "one piece per word, 256 threads"});
  cases.push_back({{3, 2, 2, 12, 4, 6, false, false, true}, 32, "ragged spans, uncounted words"});
  cases.push_back(
      {{4, 2, 1, 12, 4, 6, true, true, false, true}, 37, "[L,B,H,T,T], ties, empty, 37 threads"});
  cases.push_back({{3, 1, 2, 15, 3, 7, false, true}, 32, "ties"});
  cases.push_back({{2, 1, 1, 126, 1, 10, true, true}, 64, "up to 126 words: two bands"});
  cases.push_back({{1, 1, 1, 400, 1, 10, false, true}, 64, "up to 400 words: many bands"});
  uint32_t seed = 500;
  for (const auto& c : cases) {
    const auto b = tg::randomBatch(seed++, c.o);
    EXPECT_EQ(emulatedCounts(b, c.threads), tg::twinCounts(b)) << c.what << ", seed " << seed - 1;
  }
}

TEST(EmulatedUasKernel, MatchesTwinOnTinyBertAttention) {
  const auto b = tg::tinyBertBatch(11, 4);
  EXPECT_EQ(emulatedCounts(b, 32), tg::twinCounts(b));
}

TEST(EmulatedUasKernel, LongSentencesNeedSeveralBands) {
  using namespace chrysalis::gpu::uas_kernel;
  EXPECT_EQ(planLaunch(10).chunkRows, 10);
  EXPECT_LT(planLaunch(126).chunkRows, 126);
  EXPECT_LE(planLaunch(126).sharedBytes, 48u * 1024u);
  EXPECT_LT(planLaunch(400).chunkRows, 40);
  EXPECT_THROW(planLaunch(5000), std::invalid_argument);
}

TEST(EmulatedTwoNnKernel, MatchesTwin) {
  using namespace chrysalis::gpu::twonn_kernel;
  struct Case {
    int64_t n, d;
    bool lattice;
  };
  const Case cases[] = {{1, 3, false}, {3, 1, false}, {65, 17, false}, {130, 2, true}};
  uint32_t seed = 9;
  for (const auto& c : cases) {
    const auto x = tg::randomPoints(seed++, c.n, c.d, c.lattice);
    const size_t n = static_cast<size_t>(c.n);
    std::vector<double> f(n), s(n), gf(n, -1), gs(n, -1);
    gpu::reference::twoNnNeighbours(x.data(), c.n, c.d, f.data(), s.data());
    const unsigned blocks = static_cast<unsigned>((c.n + kBM - 1) / kBM);
    chrysalis_cuda_emulation::launch(blocks, 1, kThreads, 0, [&] {
      twoNnKernel(x.data(), static_cast<int>(c.n), static_cast<int>(c.d), gf.data(), gs.data());
    });
    EXPECT_EQ(gf, f) << c.n << " x " << c.d;
    EXPECT_EQ(gs, s) << c.n << " x " << c.d;
  }
}
