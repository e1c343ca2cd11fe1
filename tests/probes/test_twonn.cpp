// TwoNN on synthetic data: Gaussian samples in a d-dimensional subspace,
// linearly embedded in 32-D, N = 2000; the estimate is within 15% of d.
#include "probes/attention_shape.h"

#include <gtest/gtest.h>

#include <random>

using namespace chrysalis::probes;

TEST(TwoNn, RecoversSubspaceDimension) {
  const int64_t N = 2000, D = 32;
  for (int d : {2, 5, 10}) {
    std::mt19937 rng(static_cast<unsigned>(d));
    std::normal_distribution<float> g;
    std::vector<float> basis(static_cast<size_t>(d * D));
    for (auto& b : basis)
      b = g(rng);
    std::vector<float> data(static_cast<size_t>(N * D), 0.0f);
    for (int64_t n = 0; n < N; ++n)
      for (int k = 0; k < d; ++k) {
        const float z = g(rng);
        for (int64_t j = 0; j < D; ++j)
          data[static_cast<size_t>(n * D + j)] += z * basis[static_cast<size_t>(k * D + j)];
      }
    auto r = twoNn(data.data(), N, D);
    EXPECT_NEAR(r.id, d, 0.15 * d) << "d = " << d;
    EXPECT_GT(r.r, 0.9);
    EXPECT_EQ(r.used, static_cast<size_t>(N));
  }
}

TEST(TwoNn, DuplicatePointsAreDropped) {
  // r1 = 0 (a duplicate) and r1 = r2 are dropped (docs/method.md, "TwoNN
  // intrinsic dimension").
  auto r = twoNnFromDistances({0.0, 1.0, 2.0, 1.0, 1.0}, {1.0, 1.0, 3.0, 2.0, 1.5});
  EXPECT_EQ(r.used, 3u);
}
