// The syntactic regularizer against explicit loops over layers and heads,
// value and gradient.
#include "train/regularizer.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

using namespace chrysalis;

namespace {

// docs/method.md, "Syntactic regularizer", written out:
// Σ_pairs max_{l,h} A[l][b,h,i,p] + max_{l,h} A[l][b,h,p,i].
torch::Tensor bruteForce(const std::vector<torch::Tensor>& att,
                         const std::vector<std::array<int64_t, 3>>& pairs) {
  auto total = torch::zeros({}, torch::kDouble);
  for (const auto& [b, i, p] : pairs) {
    for (auto [q, k] : {std::pair{i, p}, std::pair{p, i}}) {
      torch::Tensor best;
      for (const auto& a : att)
        for (int64_t h = 0; h < a.size(1); ++h) {
          auto v = a[b][h][q][k];
          best = best.defined() ? torch::maximum(best, v) : v;
        }
      total = total + best.to(torch::kDouble);
    }
  }
  return total;
}

std::vector<torch::Tensor> randomAttentions(int64_t L, int64_t B, int64_t H, int64_t T) {
  std::vector<torch::Tensor> att;
  for (int64_t l = 0; l < L; ++l)
    att.push_back(torch::softmax(torch::randn({B, H, T, T}) * 2.0, -1).requires_grad_());
  return att;
}

torch::Tensor pairTensor(const std::vector<std::array<int64_t, 3>>& pairs) {
  auto t = torch::empty({static_cast<int64_t>(pairs.size()), 3}, torch::kLong);
  for (size_t r = 0; r < pairs.size(); ++r)
    for (int c = 0; c < 3; ++c)
      t[static_cast<int64_t>(r)][c] = pairs[r][static_cast<size_t>(c)];
  return t;
}

} // namespace

TEST(Regularizer, EqualsBruteForceValueAndGradient) {
  torch::manual_seed(4);
  auto att = randomAttentions(3, 2, 4, 6);
  std::vector<std::array<int64_t, 3>> pairs{{0, 1, 3}, {0, 2, 3}, {0, 4, 2},
                                            {1, 1, 5}, {1, 5, 2}, {1, 3, 1}};
  auto got = train::syntacticTerm(att, pairTensor(pairs));
  auto want = bruteForce(att, pairs);
  EXPECT_NEAR(got.item<double>(), want.item<double>(), 1e-6);

  auto gradsOf = [&](const torch::Tensor& loss) {
    auto g = torch::autograd::grad({loss}, {att[0], att[1], att[2]});
    return g;
  };
  auto g1 = gradsOf(got);
  auto g2 = gradsOf(want.to(torch::kFloat));
  for (size_t l = 0; l < g1.size(); ++l)
    EXPECT_TRUE(torch::allclose(g1[l], g2[l])) << "layer " << l;
  // The gradient is 1 exactly at the argmax entries, one per pair and direction.
  double ones = 0;
  for (const auto& g : g1)
    ones += g.sum().item<double>();
  EXPECT_DOUBLE_EQ(ones, 2.0 * static_cast<double>(pairs.size()));
}

TEST(Regularizer, HandCheckedTinyCase) {
  // One layer, two heads, T = 2: M(0→1) = max(0.3, 0.6), M(1→0) = max(0.9, 0.2).
  auto a = torch::tensor({0.7f, 0.3f, 0.9f, 0.1f, 0.4f, 0.6f, 0.2f, 0.8f}).view({1, 2, 2, 2});
  auto value = train::syntacticTerm({a}, torch::tensor({0, 0, 1}, torch::kLong).view({1, 3}));
  EXPECT_NEAR(value.item<double>(), 0.6 + 0.9, 1e-7);
  // Max over layers too: a second layer with a larger entry wins.
  auto b = torch::zeros({1, 2, 2, 2});
  b[0][1][0][1] = 0.95f;
  value = train::syntacticTerm({a, b}, torch::tensor({0, 0, 1}, torch::kLong).view({1, 3}));
  EXPECT_NEAR(value.item<double>(), 0.95 + 0.9, 1e-7);
}

TEST(Regularizer, NoPairsGiveZero) {
  auto att = randomAttentions(2, 1, 2, 3);
  auto v = train::syntacticTerm(att, torch::empty({0, 3}, torch::kLong));
  EXPECT_EQ(v.item<double>(), 0.0);
}
