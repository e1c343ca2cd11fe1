// engine::targetLogProbs (the pseudo-likelihood's per-row log-probability)
// against LibTorch's log_softmax in double precision, and its refusals.
#include "engine/log_probs.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <limits>

using chrysalis::engine::targetLogProbs;

namespace {

torch::Tensor reference(const torch::Tensor& logits, const torch::Tensor& targets) {
  return torch::log_softmax(logits.to(torch::kDouble), -1)
      .gather(1, targets.unsqueeze(1))
      .squeeze(1);
}

} // namespace

TEST(LogProbs, MatchLogSoftmaxInDoubleAtVocabularySizes) {
  torch::manual_seed(5);
  for (int64_t V : {7, 5000, 30522}) {
    auto logits = torch::randn({150, V}) * 8; // peaked rows and flat ones
    logits[3].fill_(2.5f);                    // a uniform row: log(1/V)
    auto targets = torch::randint(0, V, {150});
    auto got = targetLogProbs(logits, targets);
    ASSERT_EQ(got.sizes(), torch::IntArrayRef({150}));
    EXPECT_LE((got.to(torch::kDouble) - reference(logits, targets)).abs().max().item<double>(),
              2e-5)
        << V;
    EXPECT_NEAR(got[3].item<double>(), -std::log(static_cast<double>(V)), 1e-5);
  }
}

TEST(LogProbs, InfiniteAndNaNLogitsBehaveAsLogSoftmax) {
  auto logits = torch::zeros({3, 4});
  logits[0][1] = -std::numeric_limits<float>::infinity(); // an impossible piece
  logits[1][2] = std::numeric_limits<float>::quiet_NaN();
  logits[2][0] = 1e30f; // one piece far above the rest
  logits = torch::cat({logits, torch::zeros({1, 4})});
  logits[3][3] = std::numeric_limits<float>::infinity();
  auto targets = torch::tensor({1, 0, 0, 1}, torch::kLong);
  auto got = targetLogProbs(logits, targets);
  auto expected = torch::log_softmax(logits, -1).gather(1, targets.unsqueeze(1)).squeeze(1);
  EXPECT_TRUE(std::isinf(got[0].item<float>()) && got[0].item<float>() < 0);
  EXPECT_TRUE(std::isnan(got[1].item<float>()));
  EXPECT_NEAR(got[2].item<float>(), 0.0f, 1e-6);
  EXPECT_TRUE(std::isnan(got[3].item<float>())); // a +inf logit: NaN, as log_softmax gives
  EXPECT_TRUE(std::isnan(expected[3].item<float>()));
}

TEST(LogProbs, RefusesATargetOutsideTheVocabulary) {
  auto logits = torch::zeros({2, 4});
  EXPECT_THROW(targetLogProbs(logits, torch::tensor({0, 4}, torch::kLong)), c10::Error);
  EXPECT_THROW(targetLogProbs(logits, torch::tensor({-1, 0}, torch::kLong)), c10::Error);
  EXPECT_THROW(targetLogProbs(logits, torch::tensor({0}, torch::kLong)), c10::Error);
}
