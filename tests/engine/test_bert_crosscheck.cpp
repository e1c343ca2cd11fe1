// The LibTorch BERT against an independent implementation: the fixture was
// produced by tests/fixtures/make_bert_fixture.py from PyTorch's own
// nn.TransformerEncoderLayer / nn.MultiheadAttention (Debian python3-torch),
// with outputs recorded in tests/fixtures/tiny-bert/expected*.h5. Only real
// (non-padding) positions are compared, as the fixture's README says.
#include "engine/bert_model.h"
#include "engine/small_attention.h"
#include "engine/weights.h"
#include "engine_fixture.h"
#include "format/hf_import.h"
#include "format/series.h"

#include <gtest/gtest.h>

using namespace chrysalis;

namespace {

struct Loaded {
  test::ScratchDir dir;
  std::filesystem::path series;
  format::SeriesMeta meta;
  Loaded() : series(test::importTinySeries(dir)), meta(format::readSeriesMeta(series)) {}
  engine::BertForMaskedLM model(int64_t step) const {
    engine::BertForMaskedLM m(meta.model);
    engine::loadWeights(m, format::checkpointPath(series, step));
    return m;
  }
};

// The fixture's batch: ids, attention mask and token types, [B,T] each.
struct Inputs {
  torch::Tensor ids, mask, types;
  explicit Inputs(const std::filesystem::path& expected)
      : ids(test::readExpected(expected, "input_ids")),
        mask(test::readExpected(expected, "attention_mask")),
        types(test::readExpected(expected, "token_type_ids")) {}
};

double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).abs().max().item<double>();
}

} // namespace

TEST(BertCrossCheck, MatchesPyTorchModulesWithin1e5) {
  Loaded l;
  auto model = l.model(100);
  const auto expected = test::tinyBert("expected.h5");
  auto [ids, mask, types] = Inputs(expected);
  auto wantAttn = test::readExpected(expected, "attentions");      // [L,B,H,T,T]
  auto wantHidden = test::readExpected(expected, "hidden_states"); // [L+1,B,T,D]
  auto wantLogits = test::readExpected(expected, "logits");        // [B,T,V]

  torch::NoGradGuard noGrad;
  engine::ForwardOptions opts;
  opts.attentions = true;
  opts.hiddenStates = true;
  auto out = model.forward(ids, mask, types, opts);
  auto attn = torch::stack(out.attentions);
  auto hidden = torch::stack(out.hiddenStates);
  ASSERT_EQ(attn.sizes(), wantAttn.sizes());
  ASSERT_EQ(hidden.sizes(), wantHidden.sizes());
  ASSERT_EQ(out.logits.sizes(), wantLogits.sizes());

  const int64_t B = ids.size(0);
  for (int64_t b = 0; b < B; ++b) {
    const int64_t real = mask[b].sum().item<int64_t>();
    using torch::indexing::Slice;
    // Real query rows (all key columns: padded keys must get exactly 0 in both).
    EXPECT_LE(maxAbsDiff(attn.index({Slice(), b, Slice(), Slice(0, real)}),
                         wantAttn.index({Slice(), b, Slice(), Slice(0, real)})),
              1e-5)
        << "row " << b;
    EXPECT_LE(maxAbsDiff(hidden.index({Slice(), b, Slice(0, real)}),
                         wantHidden.index({Slice(), b, Slice(0, real)})),
              1e-5);
    EXPECT_LE(
        maxAbsDiff(out.logits.index({b, Slice(0, real)}), wantLogits.index({b, Slice(0, real)})),
        1e-5);
  }
  // Padded keys receive no attention at all.
  EXPECT_EQ(attn.index({torch::indexing::Slice(), 2, torch::indexing::Slice(),
                        torch::indexing::Slice(0, 4), torch::indexing::Slice(4, 10)})
                .abs()
                .max()
                .item<float>(),
            0.0f);
}

TEST(BertCrossCheck, HalfAndBfloat16CheckpointsLoadAndMatch) {
  Loaded l;
  for (auto [step, file] :
       {std::pair{200, "expected_f16.h5"}, std::pair{300, "expected_bf16.h5"}}) {
    auto model = l.model(step);
    auto expected = test::tinyBert(file);
    auto [ids, mask, types] = Inputs(expected);
    auto want = test::readExpected(expected, "logits");
    torch::NoGradGuard noGrad;
    auto got = model.forward(ids, mask, types).logits;
    for (int64_t b = 0; b < ids.size(0); ++b) {
      int64_t real = mask[b].sum().item<int64_t>();
      EXPECT_LE(maxAbsDiff(got[b].slice(0, 0, real), want[b].slice(0, 0, real)), 1e-4) << file;
    }
    // Not the float32 model: the rounding must be visible.
    auto f32 = test::readExpected(test::tinyBert("expected.h5"), "logits");
    EXPECT_GT(maxAbsDiff(got[0], f32[0]), 1e-4) << file;
  }
}

TEST(BertCrossCheck, PaddingDoesNotChangeRealPositions) {
  Loaded l;
  auto model = l.model(100);
  auto ids = test::readExpected(test::tinyBert("expected.h5"), "input_ids");
  auto mask = test::readExpected(test::tinyBert("expected.h5"), "attention_mask");
  torch::NoGradGuard noGrad;
  auto batched = model.forward(ids, mask).logits;
  for (int64_t b = 0; b < ids.size(0); ++b) {
    int64_t real = mask[b].sum().item<int64_t>();
    auto alone = model.forward(ids[b].slice(0, 0, real).unsqueeze(0)).logits[0];
    EXPECT_LE(maxAbsDiff(alone, batched[b].slice(0, 0, real)), 1e-5);
  }
}

TEST(BertCrossCheck, LogitsAtSelectedPositionsEqualFullLogits) {
  Loaded l;
  auto model = l.model(100);
  auto ids = test::readExpected(test::tinyBert("expected.h5"), "input_ids");
  torch::NoGradGuard noGrad;
  auto full = model.forward(ids).logits.reshape({-1, 64});
  engine::ForwardOptions opts;
  opts.logitPositions = torch::tensor({0, 5, 13, 29}, torch::kLong);
  auto some = model.forward(ids, {}, {}, opts).logits;
  // Different matrix shapes take different BLAS blockings: equal to float rounding.
  EXPECT_LE(maxAbsDiff(some, full.index_select(0, opts.logitPositions)), 1e-5);
}

// A pruned last layer (queries only at the asked rows) against the PyTorch
// fixture's logits at real positions, with padding in the batch and several
// rows of one sequence; and the same request unpruned in the same model.
TEST(BertCrossCheck, PrunedLastLayerGivesTheSameLogits) {
  Loaded l;
  auto model = l.model(100);
  const auto expected = test::tinyBert("expected.h5");
  auto [ids, mask, types] = Inputs(expected);
  auto want = test::readExpected(expected, "logits"); // [B,T,V], PyTorch's modules
  const int64_t B = ids.size(0), T = ids.size(1), V = want.size(2);
  std::vector<int64_t> rows;
  for (int64_t b = 0; b < B; ++b) {
    const int64_t real = mask[b].sum().item<int64_t>();
    for (int64_t t = b % 2; t < real; t += 2) // every other real position
      rows.push_back(b * T + t);
  }
  ASSERT_GT(rows.size(), static_cast<size_t>(B));
  torch::NoGradGuard noGrad;
  engine::ForwardOptions opts;
  opts.logitPositions = torch::tensor(rows, torch::kLong);
  auto unpruned = model.forward(ids, mask, types, opts);
  opts.pruneLastLayer = true;
  auto pruned = model.forward(ids, mask, types, opts);
  ASSERT_EQ(pruned.logits.sizes(), unpruned.logits.sizes());
  EXPECT_EQ(pruned.lastHidden.size(0), static_cast<int64_t>(rows.size())); // rows only
  EXPECT_LE(maxAbsDiff(pruned.logits, unpruned.logits), 1e-5);
  EXPECT_LE(maxAbsDiff(pruned.logits, want.reshape({-1, V}).index_select(0, opts.logitPositions)),
            1e-4);
  // Asking for attentions turns pruning off (the last layer's map needs every row).
  opts.attentions = true;
  auto withMaps = model.forward(ids, mask, types, opts);
  EXPECT_EQ(withMaps.lastHidden.dim(), 3);
  EXPECT_LE(maxAbsDiff(withMaps.logits, unpruned.logits), 1e-6);
}

// Inference multiplies by a fused Q/K/V copy of the weights; it must follow
// every change of the weights: another checkpoint loaded into the same model,
// and an in-place edit announced with weightsChanged(). The reference is a
// fresh model, and the unfused path (grad mode on) of the same model.
TEST(BertCrossCheck, InferenceFollowsWeightChanges) {
  Loaded l;
  auto model = l.model(100);
  auto ids = test::readExpected(test::tinyBert("expected.h5"), "input_ids");
  auto mask = test::readExpected(test::tinyBert("expected.h5"), "attention_mask");
  auto inference = [&](engine::BertForMaskedLM& m) {
    torch::NoGradGuard noGrad;
    return m.forward(ids, mask).logits;
  };
  const auto at100 = inference(model); // builds the fused copy from step 100
  engine::loadWeights(model, format::checkpointPath(l.series, 200));
  auto fresh = l.model(200);
  const auto at200 = inference(model);
  EXPECT_LE(maxAbsDiff(at200, inference(fresh)), 1e-6);
  EXPECT_GT(maxAbsDiff(at200, at100), 1e-3); // the two checkpoints do differ

  for (auto& [name, p] : model.namedParameters())
    if (name.find("attention.self.key.weight") != std::string::npos) {
      torch::NoGradGuard noGrad;
      p.mul_(3.0);
    }
  model.weightsChanged();
  const auto fused = inference(model);
  const auto unfused = model.forward(ids, mask).logits.detach(); // eval mode, grad on
  EXPECT_LE(maxAbsDiff(fused, unfused), 1e-5);
  EXPECT_GT(maxAbsDiff(fused, at200), 1e-3);
}

TEST(BertCrossCheck, ParameterNamesAreHuggingFaces) {
  format::BertConfig c;
  c.numHiddenLayers = 2;
  c.hiddenSize = 8;
  c.numAttentionHeads = 2;
  c.intermediateSize = 16;
  c.vocabSize = 20;
  c.maxPositionEmbeddings = 12;
  engine::BertForMaskedLM m(c);
  auto specs = format::bertParameterSpecs(c);
  auto params = m.namedParameters();
  ASSERT_EQ(params.size(), specs.size());
  std::map<std::string, std::vector<int64_t>> byName;
  for (auto& [n, t] : params)
    byName[n] = t.sizes().vec();
  for (const auto& s : specs) {
    ASSERT_TRUE(byName.count(s.name)) << s.name;
    EXPECT_EQ(byName[s.name], s.shape) << s.name;
  }
}

// The same weights saved by torch.save (pytorch_model.bin of a Trainer
// folder, BertForPreTraining with a tied decoder) and as a BertModel without
// the MLM head, both written in the test by Debian's python3-torch
// (tests/fixtures/write_torch_checkpoints.py), give PyTorch's outputs:
// attention and hidden states for both, logits for the one with a head.
TEST(BertCrossCheck, TorchSavedBinAndHeadlessBertModelMatchPyTorchModules) {
  test::ScratchDir dir;
  std::string out;
  ASSERT_EQ(test::runCommand("/usr/bin/python3 " +
                                 (test::fixtures() / "write_torch_checkpoints.py").string() + " " +
                                 (dir / "w").string() + " 2>&1",
                             &out),
            0)
      << out;
  const auto expected = test::tinyBert("expected.h5");
  auto [ids, mask, types] = Inputs(expected);
  auto wantAttn = test::readExpected(expected, "attentions");
  auto wantHidden = test::readExpected(expected, "hidden_states"); // [L+1,B,T,D]
  auto wantLogits = test::readExpected(expected, "logits");
  for (const char* which : {"run", "bertmodel"}) {
    format::HfImportOptions o;
    o.out = dir / (std::string("series-") + which);
    o.vocab = dir / "w/run/vocab.txt";
    format::importHf(format::expandHfFolders({dir / "w" / which}), o);
    engine::BertForMaskedLM model(format::readSeriesMeta(o.out).model);
    engine::loadWeights(model, format::checkpointPath(o.out, 100));
    torch::NoGradGuard noGrad;
    engine::ForwardOptions opts;
    opts.attentions = true;
    opts.hiddenStates = true;
    auto got = model.forward(ids, mask, types, opts);
    auto attn = torch::stack(got.attentions);
    auto hidden = torch::stack(got.hiddenStates);
    for (int64_t b = 0; b < ids.size(0); ++b) {
      const int64_t real = mask[b].sum().item<int64_t>();
      using torch::indexing::Slice;
      EXPECT_LE(maxAbsDiff(attn.index({Slice(), b, Slice(), Slice(0, real)}),
                           wantAttn.index({Slice(), b, Slice(), Slice(0, real)})),
                1e-4)
          << which;
      EXPECT_LE(maxAbsDiff(hidden.index({Slice(), b, Slice(0, real)}),
                           wantHidden.index({Slice(), b, Slice(0, real)})),
                1e-4)
          << which;
      if (std::string(which) == "run") {
        EXPECT_LE(maxAbsDiff(got.logits.index({b, Slice(0, real)}),
                             wantLogits.index({b, Slice(0, real)})),
                  1e-4);
      }
    }
  }
}

// The short-sequence attention kernels (engine/small_attention.h) against
// LibTorch's batched products in the same model, the reference path: maps,
// hidden states and logits with padding in the batch, a pruned last layer,
// and heads ablated with a fill. Both paths also meet the PyTorch fixture in
// the tests above (they run in inference, so on the kernels).
TEST(BertCrossCheck, ShortSequenceKernelsMatchTheBatchedProducts) {
  Loaded l;
  auto model = l.model(100);
  const auto expected = test::tinyBert("expected.h5");
  auto [ids, mask, types] = Inputs(expected);
  const int64_t B = ids.size(0), T = ids.size(1);
  const auto& c = l.meta.model;
  ASSERT_TRUE(engine::smallAttentionPays(T, c.headDim())); // the kernels are what run
  ASSERT_LT(mask.sum().item<int64_t>(), B * T);            // some padding
  torch::NoGradGuard noGrad;
  for (bool ablate : {false, true}) {
    engine::ForwardOptions kernels;
    kernels.attentions = kernels.hiddenStates = true;
    if (ablate) {
      kernels.headKeep = torch::ones({c.numHiddenLayers, c.numAttentionHeads});
      kernels.headKeep[0][1] = 0;
      kernels.headKeep[c.numHiddenLayers - 1][0] = 0;
      kernels.headFill = torch::randn({c.numHiddenLayers, c.numAttentionHeads, c.headDim()});
    }
    auto reference = kernels;
    reference.referenceKernels = true;
    auto a = model.forward(ids, mask, types, kernels);
    auto b = model.forward(ids, mask, types, reference);
    EXPECT_LE(maxAbsDiff(torch::stack(a.attentions), torch::stack(b.attentions)), 1e-6) << ablate;
    EXPECT_LE(maxAbsDiff(torch::stack(a.hiddenStates), torch::stack(b.hiddenStates)), 1e-5)
        << ablate;
    EXPECT_LE(maxAbsDiff(a.logits, b.logits), 1e-4) << ablate;
    EXPECT_GT(a.logits.abs().max().item<double>(), 1e-2); // not trivially equal

    // The pruned last layer: one query row per sequence, its last real piece.
    std::vector<int64_t> rows;
    for (int64_t s = 0; s < B; ++s)
      rows.push_back(s * T + mask[s].sum().item<int64_t>() - 1);
    for (auto* o : {&kernels, &reference}) {
      o->attentions = o->hiddenStates = false;
      o->logitPositions = torch::tensor(rows, torch::kLong);
      o->pruneLastLayer = true;
    }
    auto pa = model.forward(ids, mask, types, kernels);
    auto pb = model.forward(ids, mask, types, reference);
    ASSERT_EQ(pa.lastHidden.size(0), B); // pruned
    EXPECT_LE(maxAbsDiff(pa.logits, pb.logits), 1e-4) << ablate;
    EXPECT_LE(maxAbsDiff(pa.logits,
                         a.logits.reshape({B * T, -1}).index_select(0, kernels.logitPositions)),
              1e-4)
        << ablate;
  }
}

// The first layer's projection shared between repeated rows (the masked
// copies of a sentence) against the reference path, which projects every row:
// logits at the masked pieces and every hidden state.
TEST(BertCrossCheck, MaskedCopiesShareTheFirstProjectionWithTheSameResult) {
  Loaded l;
  auto model = l.model(100);
  const auto expected = test::tinyBert("expected.h5");
  auto [ids, mask, types] = Inputs(expected);
  const int64_t B = ids.size(0), T = ids.size(1);
  const int64_t maskId = 4; // any piece: the sharing depends only on repeats
  std::vector<torch::Tensor> copies, masks;
  std::vector<int64_t> rows;
  for (int64_t s = 0; s < B; ++s) {
    const int64_t n = mask[s].sum().item<int64_t>();
    for (int64_t t = 1; t + 1 < n; ++t) {
      auto c = ids[s].clone();
      c[t] = maskId;
      rows.push_back(static_cast<int64_t>(copies.size()) * T + t);
      copies.push_back(c);
      masks.push_back(mask[s]);
    }
  }
  auto copyIds = torch::stack(copies), copyMask = torch::stack(masks);
  const int64_t N = copyIds.numel();
  torch::NoGradGuard noGrad;
  engine::ForwardOptions shared;
  shared.hiddenStates = true;
  auto reference = shared;
  reference.referenceKernels = true;
  auto a = model.forward(copyIds, copyMask, {}, shared);
  auto b = model.forward(copyIds, copyMask, {}, reference);
  EXPECT_LT(a.firstLayerRows * 2, N); // shared: ~2 distinct rows per piece of a sentence
  EXPECT_EQ(b.firstLayerRows, N);
  EXPECT_LE(maxAbsDiff(torch::stack(a.hiddenStates), torch::stack(b.hiddenStates)), 1e-5);
  auto at = torch::tensor(rows, torch::kLong);
  auto la = a.logits.reshape({N, -1}).index_select(0, at);
  auto lb = b.logits.reshape({N, -1}).index_select(0, at);
  EXPECT_LE(maxAbsDiff(la, lb), 1e-4);
  EXPECT_GT(la.abs().max().item<double>(), 1e-2); // not trivially equal

  // Distinct rows (the fixture itself) are projected one by one.
  EXPECT_EQ(model.forward(ids, mask, types, shared).firstLayerRows, B * T);
}
