// engine::layerNormRowsInPlace against LibTorch's layer_norm in double
// precision, within twice LibTorch's own float error: rows as wide as the demo model's, BERT-base's
// and a width that is not a multiple of 8, rows far from zero, and a constant row.
#include "engine/layer_norm.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

using namespace chrysalis;

TEST(LayerNorm, RowsMatchLibTorchInDouble) {
  torch::manual_seed(21);
  for (int64_t D : {128, 768, 20, 3}) {
    auto y = torch::randn({37, D}) * 3 + torch::randn({37, 1}) * 100; // offsets up to ~300
    y[5].fill_(7.0f);                                                 // variance 0
    auto weight = torch::randn({D}), bias = torch::randn({D});
    const double eps = 1e-12;
    auto want = torch::layer_norm(y.to(torch::kDouble), {D}, weight.to(torch::kDouble),
                                  bias.to(torch::kDouble), eps);
    auto got = y.clone();
    ASSERT_TRUE(engine::layerNormRowsApplies(got, weight, bias));
    engine::layerNormRowsInPlace(got, weight, bias, eps);
    // Within twice LibTorch's own float error on the same rows.
    const double ours = (got.to(torch::kDouble) - want).abs().max().item<double>();
    const double libtorch = (torch::layer_norm(y, {D}, weight, bias, eps).to(torch::kDouble) - want)
                                .abs()
                                .max()
                                .item<double>();
    EXPECT_LE(ours, std::max(2 * libtorch, 1e-6)) << D << ": LibTorch's float error " << libtorch;
    EXPECT_TRUE(torch::allclose(got[5], bias)) << D; // a constant row gives the bias
  }
}

TEST(LayerNorm, ThreeDimensionalRowsAndRefusals) {
  auto y = torch::randn({2, 5, 16});
  auto weight = torch::ones({16}), bias = torch::zeros({16});
  auto want = torch::layer_norm(y, {16}, weight, bias, 1e-5);
  auto got = y.clone();
  engine::layerNormRowsInPlace(got, weight, bias, 1e-5);
  EXPECT_LE((got - want).abs().max().item<double>(), 1e-5);
  EXPECT_FALSE(engine::layerNormRowsApplies(y.transpose(1, 2), torch::ones({5}),
                                            torch::zeros({5}))); // only not contiguous
  EXPECT_FALSE(engine::layerNormRowsApplies(y.to(torch::kDouble), weight, bias));
  EXPECT_FALSE(engine::layerNormRowsApplies(y, torch::ones({8}), bias));
  auto wrong = y.transpose(1, 2);
  EXPECT_THROW(engine::layerNormRowsInPlace(wrong, torch::ones({5}), torch::zeros({5}), 1e-5),
               c10::Error);
}
