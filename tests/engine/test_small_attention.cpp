// engine::smallAttention, smallAttentionRows and smallAttentionOverInputs
// against softmax(Q K^T * scale + mask) V written with LibTorch's own
// operations in double precision, over shapes that take each path of the
// kernels: head sizes that are and are not multiples of 8 (the register
// transpose and its element-wise fallback), lengths below, at and above one
// block of 16 keys, query counts that do not fill the last group of four
// rows, and padded keys.
#include "engine/small_attention.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <limits>

using namespace chrysalis;

namespace {

struct Shape {
  int64_t B, T, H, dh;
};

// Additive mask [B, 1, 1, T]: row b has its last b % T keys padded with the
// engine's -max-float (the first key always stays).
torch::Tensor paddingMask(int64_t B, int64_t T) {
  auto mask = torch::zeros({B, 1, 1, T});
  for (int64_t b = 0; b < B; ++b)
    for (int64_t j = std::max<int64_t>(1, T - b % T); j < T; ++j)
      mask[b][0][0][j] = std::numeric_limits<float>::lowest();
  return mask;
}

// Probabilities [B, H, Tq, T] and context [B, Tq, H*dh] in double.
std::pair<torch::Tensor, torch::Tensor> reference(const torch::Tensor& q, const torch::Tensor& k,
                                                  const torch::Tensor& v, const torch::Tensor& mask,
                                                  int64_t H) {
  // q [B, Tq, D], k and v [B, T, D] -> heads [B, H, *, dh].
  auto heads = [H](const torch::Tensor& x) {
    return x.to(torch::kDouble).view({x.size(0), x.size(1), H, -1}).permute({0, 2, 1, 3});
  };
  auto qh = heads(q), kh = heads(k), vh = heads(v);
  const double scale = 1.0 / std::sqrt(static_cast<double>(qh.size(3)));
  auto scores = torch::matmul(qh, kh.transpose(2, 3)) * scale + mask.to(torch::kDouble);
  auto probs = torch::softmax(scores, -1);
  auto context = torch::matmul(probs, vh).permute({0, 2, 1, 3}).reshape({q.size(0), q.size(1), -1});
  return {probs, context};
}

const Shape kShapes[] = {
    {146, 14, 4, 32}, // BLiMP's masked copies on the demo model
    {3, 5, 2, 12},    // head size not a multiple of 8, fewer keys than a tile
    {2, 16, 3, 8},    // exactly one block of keys
    {4, 33, 2, 64},   // three blocks, the last nearly empty; BERT-base's head size
    {2, 7, 1, 20},    // a remainder of head columns past the last block of 16
    {1, 1, 2, 16},    // one key
};

} // namespace

TEST(SmallAttention, MatchesSoftmaxOfScaledProductsInDouble) {
  torch::manual_seed(11);
  for (const auto& s : kShapes) {
    const int64_t D = s.H * s.dh;
    auto qkv = torch::randn({s.B, s.T, 3 * D}) * 2;
    auto mask = paddingMask(s.B, s.T);
    torch::Tensor probs;
    auto got = engine::smallAttention(qkv, mask, s.H, &probs);
    auto parts = qkv.split(D, 2);
    auto [wantProbs, want] = reference(parts[0], parts[1], parts[2], mask, s.H);
    const std::string shape = "B=" + std::to_string(s.B) + " T=" + std::to_string(s.T) +
                              " H=" + std::to_string(s.H) + " dh=" + std::to_string(s.dh);
    ASSERT_EQ(got.sizes(), torch::IntArrayRef({s.B, s.T, D})) << shape;
    ASSERT_EQ(probs.sizes(), torch::IntArrayRef({s.B, s.H, s.T, s.T})) << shape;
    EXPECT_LE((probs.to(torch::kDouble) - wantProbs).abs().max().item<double>(), 2e-6) << shape;
    EXPECT_LE((got.to(torch::kDouble) - want).abs().max().item<double>(), 2e-5) << shape;
    // Padded keys get no weight at all, as in LibTorch's softmax.
    if (s.T > 1) {
      EXPECT_EQ(probs[1].select(2, s.T - 1).abs().max().item<float>(), 0.0f) << shape;
    }
    // Without probabilities asked for, the same context.
    EXPECT_TRUE(torch::equal(engine::smallAttention(qkv, mask, s.H, nullptr), got)) << shape;
  }
}

TEST(SmallAttention, SingleQueryRowsMatchInDouble) {
  torch::manual_seed(12);
  for (const auto& s : kShapes) {
    const int64_t D = s.H * s.dh, N = 2 * s.B + 1;
    auto kv = torch::randn({s.B, s.T, 2 * D}) * 2;
    auto queries = torch::randn({N, D}) * 2;
    auto batchOf = torch::randint(0, s.B, {N}, torch::kLong);
    auto mask = paddingMask(s.B, s.T);
    auto got = engine::smallAttentionRows(queries, kv, batchOf, mask, s.H);
    ASSERT_EQ(got.sizes(), torch::IntArrayRef({N, D}));
    auto parts = kv.index_select(0, batchOf).split(D, 2);
    auto want =
        reference(queries.unsqueeze(1), parts[0], parts[1], mask.index_select(0, batchOf), s.H)
            .second.squeeze(1);
    EXPECT_LE((got.to(torch::kDouble) - want).abs().max().item<double>(), 2e-5)
        << "T=" << s.T << " dh=" << s.dh;
  }
}

TEST(SmallAttention, AttentionOverTheInputsMatchesInDouble) {
  torch::manual_seed(13);
  for (const auto& s : kShapes) {
    // Groups of H query rows over D = H*dh-wide inputs, as the folded last
    // layer uses it; the scale is the head size's, not D's.
    const int64_t D = s.H * s.dh, N = 2 * s.B + 1;
    auto inputs = torch::randn({s.B, s.T, D});
    auto queries = torch::randn({N, s.H, D}) * 0.5;
    auto batchOf = torch::randint(0, s.B, {N}, torch::kLong);
    auto mask = paddingMask(s.B, s.T);
    const double scale = 1.0 / std::sqrt(static_cast<double>(s.dh));
    auto got = engine::smallAttentionOverInputs(queries, inputs, batchOf, mask, scale);
    ASSERT_EQ(got.sizes(), torch::IntArrayRef({N, s.H, D}));
    auto x = inputs.index_select(0, batchOf).to(torch::kDouble); // [N, T, D]
    auto scores = torch::bmm(queries.to(torch::kDouble), x.transpose(1, 2)) * scale +
                  mask.index_select(0, batchOf).view({N, 1, s.T}).to(torch::kDouble);
    auto want = torch::bmm(torch::softmax(scores, -1), x);
    EXPECT_LE((got.to(torch::kDouble) - want).abs().max().item<double>(), 2e-5)
        << "T=" << s.T << " D=" << D;
  }
}

TEST(SmallAttention, FoldedLastLayerEqualsProjectingKeysAndValues) {
  torch::manual_seed(14);
  for (const auto& s : kShapes) {
    // The reference projects keys and values (with their biases) at every
    // position; the folded path never does, and must agree.
    const int64_t D = s.H * s.dh, N = 2 * s.B + 1;
    auto inputs = torch::randn({s.B, s.T, D});
    auto wk = torch::randn({D, D}) / std::sqrt(static_cast<double>(D));
    auto wv = torch::randn({D, D}) / std::sqrt(static_cast<double>(D));
    auto bk = torch::randn({D}), bv = torch::randn({D});
    auto queries = torch::randn({N, D});
    auto batchOf = torch::randint(0, s.B, {N}, torch::kLong);
    auto mask = paddingMask(s.B, s.T);
    auto got = engine::smallAttentionFolded(queries, inputs, batchOf, mask, s.H, wk,
                                            wv.t().contiguous(), bv);
    ASSERT_EQ(got.sizes(), torch::IntArrayRef({N, D}));
    auto x = inputs.index_select(0, batchOf).to(torch::kDouble);
    auto keys = torch::matmul(x, wk.t().to(torch::kDouble)) + bk.to(torch::kDouble);
    auto values = torch::matmul(x, wv.t().to(torch::kDouble)) + bv.to(torch::kDouble);
    auto want = reference(queries.unsqueeze(1), keys, values, mask.index_select(0, batchOf), s.H)
                    .second.squeeze(1);
    EXPECT_LE((got.to(torch::kDouble) - want).abs().max().item<double>(), 2e-5)
        << "T=" << s.T << " H=" << s.H << " dh=" << s.dh;
  }
}
