// Head ablation in the engine against a hand computation: the twin script
// (tests/fixtures/ablation_twin.py, Debian's python3-torch in float64, the
// HF BERT equations of make_bert_fixture.py) ablates the same heads of the
// tiny BERT at step 100 and records the logits and each head's mean context.
#include "engine/bert_model.h"
#include "engine/weights.h"
#include "engine_fixture.h"
#include "format/series.h"

#include <gtest/gtest.h>

using namespace chrysalis;

namespace {

double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).abs().max().item<double>();
}

struct Twin {
  test::ScratchDir dir;
  std::filesystem::path series, out;
  format::SeriesMeta meta;
  torch::Tensor ids, mask, types, headMean, logitsZero, logitsMean, keep;
  Twin() : series(test::importTinySeries(dir)), out(dir / "twin.h5") {
    meta = format::readSeriesMeta(series);
    std::string log;
    const int rc =
        test::runCommand("/usr/bin/python3 " + (test::fixtures() / "ablation_twin.py").string() +
                             " " + out.string() + " 2>&1",
                         &log);
    if (rc != 0) throw std::runtime_error("ablation_twin.py failed: " + log);
    const auto expected = test::tinyBert("expected.h5");
    ids = test::readExpected(expected, "input_ids");
    mask = test::readExpected(expected, "attention_mask");
    types = test::readExpected(expected, "token_type_ids");
    headMean = test::readExpected(out, "head_mean");
    logitsZero = test::readExpected(out, "logits_zero");
    logitsMean = test::readExpected(out, "logits_mean");
    auto ablated = test::readExpected(out, "ablated");
    keep = torch::ones({meta.model.numHiddenLayers, meta.model.numAttentionHeads});
    for (int64_t k = 0; k < ablated.size(0); ++k)
      keep[ablated[k][0].item<int64_t>()][ablated[k][1].item<int64_t>()] = 0.0;
  }
  engine::BertForMaskedLM model() const {
    engine::BertForMaskedLM m(meta.model);
    engine::loadWeights(m, format::checkpointPath(series, 100));
    return m;
  }
  // Largest difference at real positions (padded rows are not defined).
  double realDiff(const torch::Tensor& got, const torch::Tensor& want) const {
    double worst = 0;
    for (int64_t b = 0; b < ids.size(0); ++b) {
      const int64_t real = mask[b].sum().item<int64_t>();
      worst = std::max(worst, maxAbsDiff(got[b].slice(0, 0, real), want[b].slice(0, 0, real)));
    }
    return worst;
  }
};

} // namespace

TEST(HeadAblation, ZeroAndMeanAblationMatchTheHandComputation) {
  Twin t;
  auto model = t.model();
  torch::NoGradGuard noGrad;
  const auto intact = model.forward(t.ids, t.mask, t.types).logits;

  // Mean contexts from the engine's own head contexts over the real tokens.
  engine::ForwardOptions withContexts;
  withContexts.headContexts = true;
  auto out = model.forward(t.ids, t.mask, t.types, withContexts);
  ASSERT_EQ(out.headContexts.size(), static_cast<size_t>(t.meta.model.numHiddenLayers));
  const auto L = t.meta.model.numHiddenLayers, H = t.meta.model.numAttentionHeads;
  auto real = t.mask.to(torch::kFloat).unsqueeze(-1); // [B,T,1]
  auto mean = (torch::stack(out.headContexts) * real).sum({1, 2}) / real.sum();
  mean = mean.view({L, H, -1});
  EXPECT_LE(maxAbsDiff(mean, t.headMean), 1e-5);

  engine::ForwardOptions zero;
  zero.headKeep = t.keep;
  auto zeroLogits = model.forward(t.ids, t.mask, t.types, zero).logits;
  EXPECT_LE(t.realDiff(zeroLogits, t.logitsZero), 1e-4);
  EXPECT_GT(t.realDiff(zeroLogits, intact), 1e-2); // the ablation does change the output

  engine::ForwardOptions meanFill = zero;
  meanFill.headFill = mean;
  auto meanLogits = model.forward(t.ids, t.mask, t.types, meanFill).logits;
  EXPECT_LE(t.realDiff(meanLogits, t.logitsMean), 1e-4);
  EXPECT_GT(t.realDiff(meanLogits, zeroLogits), 1e-2);

  // Keeping every head is the intact model.
  engine::ForwardOptions none;
  none.headKeep = torch::ones({L, H});
  EXPECT_LE(maxAbsDiff(model.forward(t.ids, t.mask, t.types, none).logits, intact), 1e-6);
}

// The probes use a pruned last layer and gradients off; training runs the
// unfused path. Both must ablate the same way as the full forward.
TEST(HeadAblation, PrunedLastLayerAndUnfusedPathAblateAlike) {
  Twin t;
  auto model = t.model();
  const int64_t B = t.ids.size(0), T = t.ids.size(1), V = t.logitsZero.size(2);
  std::vector<int64_t> rows;
  for (int64_t b = 0; b < B; ++b)
    for (int64_t p = 0; p < t.mask[b].sum().item<int64_t>(); ++p)
      rows.push_back(b * T + p);
  engine::ForwardOptions o;
  o.headKeep = t.keep;
  o.headFill = t.headMean;
  o.logitPositions = torch::tensor(rows, torch::kLong);
  o.pruneLastLayer = true;
  auto want = t.logitsMean.reshape({-1, V}).index_select(0, o.logitPositions);
  {
    torch::NoGradGuard noGrad;
    auto pruned = model.forward(t.ids, t.mask, t.types, o);
    ASSERT_EQ(pruned.lastHidden.size(0), static_cast<int64_t>(rows.size())); // really pruned
    EXPECT_LE(maxAbsDiff(pruned.logits, want), 1e-4);
  }
  auto unfused = model.forward(t.ids, t.mask, t.types, o).logits.detach(); // grad mode on
  EXPECT_LE(maxAbsDiff(unfused, want), 1e-4);
}

TEST(HeadAblation, WrongShapesAreRefused) {
  Twin t;
  auto model = t.model();
  torch::NoGradGuard noGrad;
  engine::ForwardOptions o;
  o.headKeep = torch::ones({1, 4}); // the model has two layers
  EXPECT_THROW(model.forward(t.ids, t.mask, t.types, o), c10::Error);
  o.headKeep = torch::ones({2, 4});
  o.headFill = torch::zeros({2, 4, 3}); // head_dim is 8
  EXPECT_THROW(model.forward(t.ids, t.mask, t.types, o), c10::Error);
}
