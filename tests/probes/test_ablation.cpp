// The ablation probe on the bundled demo (a trained 4 x 4 BERT and its EWT
// probe set), checked against a second route to the same ablation that does
// not use the engine's head masking: a head's context is its attention
// (rows summing to one) times its values, so zeroing its value projection
// (weights and bias) zeroes the head's output, and zero value weights with
// the bias set to the head's mean context output exactly that mean.
#include "engine/bert_model.h"
#include "engine/series_model.h"
#include "format/series.h"
#include "probes/checkpoint_prober.h"
#include "probes/encoded_set.h"
#include "probes/head_choice.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace chrysalis;
namespace fs = std::filesystem;

namespace {

struct DemoAblation : ::testing::Test {
  void SetUp() override {
    series = test::sourceDir() / "resources/demo/baseline";
    meta = format::readSeriesMeta(series);
    set = probes::loadProbeSet(test::sourceDir() / "resources/demo/probe-set.h5");
    tokenizer = std::make_unique<text::WordPieceTokenizer>(
        engine::loadSeriesVocab(series, meta),
        meta.doLowerCase ? text::WordPieceOptions::uncased() : text::WordPieceOptions::cased());
    options.uas.minRelationCount = 20; // the demo's setting (docs/demo.md)
  }
  std::unique_ptr<engine::BertForMaskedLM> model() const {
    auto m = engine::loadSeriesModel(series, meta.model, kStep);
    m->setTraining(false);
    return m;
  }
  probes::CheckpointProber prober() const {
    return {set, *tokenizer, static_cast<size_t>(meta.model.maxPositionEmbeddings), nullptr,
            options};
  }
  // Sets the value projection of each (layer, head) to weights 0, bias `bias`
  // ([dh], or zeros when undefined).
  static void setValues(engine::BertForMaskedLM& m, int64_t layer, int64_t head,
                        const torch::Tensor& bias = {}) {
    const int64_t dh = m.config().headDim();
    const std::string prefix =
        "bert.encoder.layer." + std::to_string(layer) + ".attention.self.value.";
    torch::NoGradGuard noGrad;
    for (auto& [name, p] : m.namedParameters()) {
      if (name == prefix + "weight") p.narrow(0, head * dh, dh).zero_();
      if (name == prefix + "bias") {
        if (bias.defined())
          p.narrow(0, head * dh, dh).copy_(bias);
        else
          p.narrow(0, head * dh, dh).zero_();
      }
    }
    m.weightsChanged();
  }
  static constexpr int64_t kStep = 4000;
  fs::path series;
  format::SeriesMeta meta;
  probes::ProbeSet set;
  std::unique_ptr<text::WordPieceTokenizer> tokenizer;
  probes::ProberOptions options;
};

// The implicit parse from a structure result's per-candidate accuracies,
// leaving out `excluded` heads: sum over scored relations of the best allowed
// candidate's correct words, over the scored words.
double uasWithout(const format::ProbeResult& r, const std::vector<int64_t>& excluded) {
  const auto& acc = r.arrays.at("uas/accuracy"); // [L,H,2,R]
  const auto& counts = r.arrays.at("uas/relation_counts").values;
  const auto& included = r.arrays.at("uas/relation_included").values;
  const size_t R = counts.size(), C = acc.values.size() / R;
  double num = 0, den = 0;
  for (size_t rel = 0; rel < R; ++rel) {
    if (included[rel] == 0) continue;
    double best = 0;
    for (size_t c = 0; c < C; ++c)
      if (std::find(excluded.begin(), excluded.end(), static_cast<int64_t>(c / 2)) ==
          excluded.end())
        best = std::max(best, acc.values[c * R + rel] * counts[rel]);
    num += best;
    den += counts[rel];
  }
  return num / den;
}

} // namespace

// A control as large as the chosen set must fit beside it: 9 of the demo's
// 16 heads leave 7, so there is no control and the result says why; asking
// for every head is refused before any work.
TEST_F(DemoAblation, TooFewHeadsForAControlIsSaidNotThrown) {
  options.ablation.heads = "top:9";
  auto m = model();
  torch::InferenceMode inference;
  const auto r = prober().ablation(*m, nullptr);
  EXPECT_EQ(r.arrays.count("ablation/control_heads"), 0u);
  ASSERT_EQ(r.strings.count("ablation/control_note"), 1u);
  EXPECT_NE(r.strings.at("ablation/control_note")[0].find("16 heads"), std::string::npos);
  EXPECT_EQ(r.arrays.at("ablation/heads").shape[0], 9);
  options.ablation.heads = "top:16";
  EXPECT_THROW(prober().ablation(*m, nullptr), std::invalid_argument);
  options.ablation.heads = "5-1";
  EXPECT_THROW(prober().ablation(*m, nullptr), std::invalid_argument);
}

TEST(HeadChoice, ParsesWhatTheGuiAndCliWrite) {
  auto c = probes::parseHeadChoice("4-1,3-2");
  EXPECT_EQ(c.kind, probes::HeadChoice::Kind::Explicit);
  EXPECT_EQ(c.layers, (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(c.heads, (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(probes::headChoiceSpec(c), "4-1,3-2");
  EXPECT_EQ(probes::parseHeadChoice("top:5").count, 5u);
  EXPECT_EQ(probes::headChoiceSpec(probes::parseHeadChoice("random:2")), "random:2");
  for (const char* bad :
       {"", "top:", "top:0", "top:-1", "4", "4-", "0-1", "4-1,4-1", "a-b", "4-1,"})
    EXPECT_THROW(probes::parseHeadChoice(bad), std::invalid_argument) << bad;
  // Heads outside the model, or all of them, are refused when the model is known.
  EXPECT_THROW(probes::chooseHeads(probes::parseHeadChoice("5-1"), 4, 4, {}, 0),
               std::invalid_argument);
  EXPECT_THROW(
      probes::chooseHeads(probes::parseHeadChoice("top:16"), 4, 4, std::vector<double>(16, 0.5), 0),
      std::invalid_argument);
}

TEST(HeadChoice, TopRanksByUasWithUndefinedLastAndRandomIsSeeded) {
  std::vector<double> uas{0.2, NAN, 0.9, 0.2, 0.5, 0.1};
  EXPECT_EQ(probes::chooseHeads(probes::parseHeadChoice("top:3"), 2, 3, uas, 0),
            (std::vector<int64_t>{0, 2, 4})); // 0.9, 0.5, then the first 0.2
  auto a = probes::chooseHeads(probes::parseHeadChoice("random:3"), 2, 3, uas, 11);
  EXPECT_EQ(a, probes::chooseHeads(probes::parseHeadChoice("random:3"), 2, 3, uas, 11));
  std::set<std::vector<int64_t>> seen;
  for (uint64_t seed = 0; seed < 20; ++seed)
    seen.insert(probes::randomHeadsExcept(3, 144, {}, seed));
  EXPECT_GT(seen.size(), 15u); // the seed matters
  auto control = probes::randomHeadsExcept(4, 6, {2, 4}, 3);
  EXPECT_EQ(control, (std::vector<int64_t>{0, 1, 3, 5})); // everything but the excluded
  EXPECT_THROW(probes::randomHeadsExcept(5, 6, {2, 4}, 3), std::invalid_argument);
}

TEST_F(DemoAblation, ZeroAblationEqualsZeroedValueProjections) {
  options.ablation.heads = "2-1,3-4";
  options.ablation.control = false;
  auto m = model();
  torch::InferenceMode inference;
  const auto p = prober();
  const auto r = p.ablation(*m, nullptr);
  const auto intact = p.loss(*m, nullptr).scalars.at("loss");
  const auto intactStructure = p.structure(*m, true, false, false, nullptr);
  EXPECT_DOUBLE_EQ(r.scalars.at("ablation_loss_intact"), intact);
  EXPECT_DOUBLE_EQ(r.scalars.at("ablation_uas_all_heads"), intactStructure.scalars.at("uas"));
  const std::vector<int64_t> heads{1 * 4 + 0, 2 * 4 + 3};
  EXPECT_NEAR(r.scalars.at("ablation_uas_intact"), uasWithout(intactStructure, heads), 1e-12);

  auto edited = model();
  setValues(*edited, 1, 0);
  setValues(*edited, 2, 3);
  const double lossEdited = p.loss(*edited, nullptr).scalars.at("loss");
  EXPECT_NEAR(r.scalars.at("ablation_loss"), lossEdited, 1e-4);
  EXPECT_NEAR(r.scalars.at("ablation_loss_delta"), lossEdited - intact, 1e-4);
  EXPECT_GT(std::abs(lossEdited - intact), 1e-3); // the two heads matter at all
  const auto editedStructure = p.structure(*edited, true, false, false, nullptr);
  EXPECT_NEAR(r.scalars.at("ablation_uas"), uasWithout(editedStructure, heads), 1e-9);
  const auto& listed = r.arrays.at("ablation/heads");
  EXPECT_EQ(listed.shape, (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(listed.values, (std::vector<double>{1, 0, 2, 3}));
  EXPECT_EQ(r.arrays.count("ablation/control_heads"), 0u);
}

TEST_F(DemoAblation, MeanAblationEqualsValueBiasAtTheHeadsMeanContext) {
  options.ablation.heads = "1-2";
  options.ablation.mode = "mean";
  options.ablation.control = false;
  auto m = model();
  torch::InferenceMode inference;
  // The head's mean context computed here from attention and hidden states,
  // one unpadded sentence at a time: sum_j A[i,j] (h_j Wv^T + bv) over its slice.
  const auto& cfg = meta.model;
  const int64_t dh = cfg.headDim();
  torch::Tensor wv, bv;
  for (auto& [name, t] : m->namedParameters()) {
    if (name == "bert.encoder.layer.0.attention.self.value.weight") wv = t.narrow(0, dh, dh);
    if (name == "bert.encoder.layer.0.attention.self.value.bias") bv = t.narrow(0, dh, dh);
  }
  auto sum = torch::zeros({dh}, torch::kDouble);
  double tokens = 0;
  for (const auto& e :
       probes::encodeProbeSet(set, *tokenizer, static_cast<size_t>(cfg.maxPositionEmbeddings))) {
    engine::ForwardOptions o;
    o.attentions = o.hiddenStates = true;
    o.logits = false;
    auto out = m->forward(torch::tensor(e.ids).unsqueeze(0), {}, {}, o);
    auto values = torch::nn::functional::linear(out.hiddenStates[0][0], wv, bv); // [T,dh]
    sum += torch::matmul(out.attentions[0][0][1], values).sum(0).to(torch::kDouble);
    tokens += static_cast<double>(e.ids.size());
  }
  const auto mean = (sum / tokens).to(torch::kFloat);

  const auto p = prober();
  const auto r = p.ablation(*m, nullptr);
  auto edited = model();
  setValues(*edited, 0, 1, mean);
  const double lossEdited = p.loss(*edited, nullptr).scalars.at("loss");
  EXPECT_NEAR(r.scalars.at("ablation_loss"), lossEdited, 1e-4);
  // Zeroing instead of the mean is a different intervention.
  setValues(*edited, 0, 1);
  EXPECT_GT(std::abs(p.loss(*edited, nullptr).scalars.at("loss") - lossEdited), 1e-3);
}

// top:K takes the heads the UAS probe ranks highest at that checkpoint; the
// control draws as many others. On the trained demo the top heads carry
// far more of the loss than random ones (measured at step 4000: +1.05 nats
// against +0.007; see docs/probes.md).
TEST_F(DemoAblation, TopHeadsAreTheUasProbesBestAndTheControlIsDisjoint) {
  options.ablation.heads = "top:3";
  auto m = model();
  torch::InferenceMode inference;
  const auto p = prober();
  const auto r = p.ablation(*m, nullptr);
  const auto structure = p.structure(*m, true, false, false, nullptr);
  const auto& best = structure.arrays.at("uas/head_best").values;
  std::vector<int64_t> order(best.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    return best[static_cast<size_t>(a)] > best[static_cast<size_t>(b)];
  });
  std::vector<int64_t> top(order.begin(), order.begin() + 3), chosen, control;
  std::sort(top.begin(), top.end());
  const auto& heads = r.arrays.at("ablation/heads").values;
  const auto& ctl = r.arrays.at("ablation/control_heads").values;
  for (size_t i = 0; i < heads.size(); i += 2)
    chosen.push_back(static_cast<int64_t>(heads[i] * 4 + heads[i + 1]));
  for (size_t i = 0; i < ctl.size(); i += 2)
    control.push_back(static_cast<int64_t>(ctl[i] * 4 + ctl[i + 1]));
  EXPECT_EQ(chosen, top);
  ASSERT_EQ(control.size(), 3u);
  for (auto h : control)
    EXPECT_EQ(std::count(chosen.begin(), chosen.end(), h), 0) << h;
  EXPECT_GT(r.scalars.at("ablation_loss_delta"), 0.5);
  EXPECT_GT(r.scalars.at("ablation_loss_delta"),
            10 * std::abs(r.scalars.at("ablation_control_loss_delta")));
}
