// The gpu/ kernels against their CPU twins: fresh random inputs of several
// sizes (ragged spans, padding, ties, long sentences that take several
// shared-memory bands, both attention layouts) and the tiny-bert fixture's
// real attention and hidden states. Every test skips without a CUDA GPU.
#include "chrysalis/gpu/kernels.h"
#include "chrysalis/gpu/reference.h"
#include "gpu_test_data.h"
#include "probes/attention_shape.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using namespace chrysalis;
namespace tg = chrysalis::test::gpu;

#define CHRYSALIS_REQUIRE_GPU()                                                                    \
  do {                                                                                             \
    if (chrysalis::gpu::gpuDeviceCount() == 0) GTEST_SKIP() << "no CUDA GPU visible";              \
  } while (0)

namespace {

template <class T> gpu::DeviceBuffer toDevice(const std::vector<T>& v) {
  gpu::DeviceBuffer d(std::max<size_t>(1, v.size()) * sizeof(T));
  d.upload(v.data(), v.size() * sizeof(T));
  return d;
}

template <class T> std::vector<T> toHost(const gpu::DeviceBuffer& d, size_t n) {
  std::vector<T> v(n);
  d.download(v.data(), n * sizeof(T));
  return v;
}

// GPU counts (added to `initial`) for one batch.
std::vector<int64_t> gpuCounts(const tg::AttentionBatch& b, int calls = 1, int64_t initial = 0) {
  const size_t C = static_cast<size_t>(b.layout.layers * b.layout.heads * 2 * b.relations);
  auto attention = toDevice(b.attention);
  auto counts = toDevice(std::vector<int64_t>(C, initial));
  for (int i = 0; i < calls; ++i)
    gpu::uasCorrectCounts(attention.as<float>(), b.layout, b.words, b.relations,
                          counts.as<int64_t>());
  gpu::synchronize();
  return toHost<int64_t>(counts, C);
}

int64_t total(const std::vector<int64_t>& v) {
  int64_t t = 0;
  for (auto x : v)
    t += x;
  return t;
}

} // namespace

TEST(GpuDevice, DescribesTheGpuAndMovesMemory) {
  CHRYSALIS_REQUIRE_GPU();
  EXPECT_FALSE(gpu::gpuDeviceName(0).empty());
  std::cout << "[ device   ] " << gpu::gpuDeviceName(0) << ", CUDA runtime "
            << gpu::gpuRuntimeVersion() << "\n";
  const std::vector<int32_t> v{1, -2, 3, 1 << 30};
  auto d = toDevice(v);
  EXPECT_EQ(toHost<int32_t>(d, v.size()), v);
  d.zero();
  EXPECT_EQ(toHost<int32_t>(d, v.size()), std::vector<int32_t>(4, 0));
}

TEST(GpuUas, MatchesTwinOnRandomBatches) {
  CHRYSALIS_REQUIRE_GPU();
  uint32_t seed = 100;
  for (const auto& c : tg::uasCases(true))
    for (int rep = 0; rep < 3; ++rep) {
      const auto b = tg::randomBatch(seed++, c.options);
      const auto want = tg::twinCounts(b);
      EXPECT_EQ(gpuCounts(b), want) << c.what << ", seed " << seed - 1;
      if (rep == 0) {
        EXPECT_GT(total(want), 0) << c.what << ": nothing counted, a weak test";
      }
    }
}

TEST(GpuUas, CountsAccumulateAcrossCalls) {
  CHRYSALIS_REQUIRE_GPU();
  const auto b = tg::randomBatch(7, {6, 2, 2, 10, 2, 4});
  auto want = tg::twinCounts(b);
  for (auto& x : want)
    x = 2 * x + 5;
  EXPECT_EQ(gpuCounts(b, 2, 5), want);
}

TEST(GpuUas, MatchesTwinOnTinyBertAttention) {
  CHRYSALIS_REQUIRE_GPU();
  for (uint32_t seed : {1u, 2u, 3u, 4u}) {
    const auto b = tg::tinyBertBatch(seed, 4);
    const auto want = tg::twinCounts(b);
    EXPECT_EQ(gpuCounts(b), want) << "seed " << seed;
    EXPECT_EQ(want, tg::proberCounts(b)) << "seed " << seed;
  }
}

TEST(GpuUas, RejectsInconsistentBatchesBeforeLaunch) {
  CHRYSALIS_REQUIRE_GPU();
  auto b = tg::randomBatch(3, {2, 1, 1, 4, 2, 3});
  b.words.pieceEnd.back() = static_cast<int32_t>(b.layout.T);
  auto attention = toDevice(b.attention);
  auto counts = toDevice(std::vector<int64_t>(6, 0));
  EXPECT_THROW(
      gpu::uasCorrectCounts(attention.as<float>(), b.layout, b.words, 3, counts.as<int64_t>()),
      std::invalid_argument);
}

TEST(GpuTwoNn, MatchesTwin) {
  CHRYSALIS_REQUIRE_GPU();
  struct Case {
    int64_t n, d;
    bool lattice;
  };
  const Case cases[] = {{1, 3, false},     {2, 5, false},   {3, 1, false},     {64, 16, false},
                        {65, 17, false},   {130, 1, true},  {200, 768, false}, {500, 32, true},
                        {1000, 33, false}, {777, 100, true}};
  uint32_t seed = 1;
  for (const auto& c : cases) {
    const auto x = tg::randomPoints(seed++, c.n, c.d, c.lattice);
    const size_t n = static_cast<size_t>(c.n);
    std::vector<double> f(n), s(n);
    gpu::reference::twoNnNeighbours(x.data(), c.n, c.d, f.data(), s.data());
    auto dx = toDevice(x);
    gpu::DeviceBuffer df(n * sizeof(double)), ds(n * sizeof(double));
    gpu::twoNnNeighbours(dx.as<float>(), c.n, c.d, df.as<double>(), ds.as<double>());
    gpu::synchronize();
    const auto gf = toHost<double>(df, n), gs = toHost<double>(ds, n);
    // Same operations in the same order, no FMA on either side: equal.
    size_t differ = 0;
    double worst = 0;
    for (size_t i = 0; i < n; ++i)
      for (auto [g, w] : {std::pair{gf[i], f[i]}, std::pair{gs[i], s[i]}})
        if (g != w) {
          ++differ;
          worst = std::max(worst, std::abs(g - w) / std::max(1e-300, std::abs(w)));
        }
    EXPECT_EQ(differ, 0u) << c.n << " x " << c.d << ": worst relative difference " << worst;
    EXPECT_LE(worst, 1e-12) << c.n << " x " << c.d;
  }
}

TEST(GpuTwoNn, TinyBertHiddenStatesMatchTwinAndCore) {
  CHRYSALIS_REQUIRE_GPU();
  int64_t n = 0, d = 0;
  const auto x = tg::tinyBertHiddenPoints(&n, &d);
  ASSERT_GT(n, 10);
  std::vector<double> f(static_cast<size_t>(n)), s(static_cast<size_t>(n));
  gpu::reference::twoNnNeighbours(x.data(), n, d, f.data(), s.data());
  auto dx = toDevice(x);
  gpu::DeviceBuffer df(f.size() * sizeof(double)), ds(s.size() * sizeof(double));
  gpu::twoNnNeighbours(dx.as<float>(), n, d, df.as<double>(), ds.as<double>());
  gpu::synchronize();
  auto gf = toHost<double>(df, f.size()), gs = toHost<double>(ds, s.size());
  EXPECT_EQ(gf, f);
  EXPECT_EQ(gs, s);
  const auto fromGpu = tg::twoNnFromSquared(gf, gs);
  const auto core = probes::twoNn(x.data(), n, d);
  EXPECT_EQ(fromGpu.used, core.used);
  EXPECT_NEAR(fromGpu.id, core.id, 1e-9 * std::abs(core.id));
}
