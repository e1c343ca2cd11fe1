#include "engine/bert_model.h"
#include "engine/layer_norm.h"
#include "engine/small_attention.h"

#include <torch/torch.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace chrysalis::engine {

namespace {

namespace nn = torch::nn;

nn::LayerNorm makeLayerNorm(int64_t d, double eps) {
  return nn::LayerNorm(nn::LayerNormOptions({d}).eps(eps));
}

bool inference(const nn::Module& m) {
  return !m.is_training() && !torch::GradMode::is_enabled();
}

// norm(y); in inference, where engine/layer_norm.h takes it, in place: `y`
// must then be a tensor nothing else holds (a fresh sum or product).
torch::Tensor normalize(nn::LayerNorm& norm, torch::Tensor y) {
  if (!inference(*norm) || !layerNormRowsApplies(y, norm->weight, norm->bias))
    return norm->forward(y);
  layerNormRowsInPlace(y, norm->weight, norm->bias, norm->options.eps());
  return y;
}

// x [..., in] W^T + b as one addmm over the rows: LibTorch 1.13's linear
// takes inputs of more than two dimensions through matmul, which zeroes the
// output, multiplies, then adds the bias in a third pass over it.
torch::Tensor affine(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& b) {
  auto y = torch::addmm(b, x.reshape({-1, x.size(-1)}), w.t());
  if (x.dim() == 2) return y;
  auto sizes = x.sizes().vec();
  sizes.back() = w.size(0);
  return y.view(sizes);
}

struct EmbeddingsImpl : nn::Module {
  EmbeddingsImpl(const format::BertConfig& c)
      : word(register_module("word_embeddings", nn::Embedding(c.vocabSize, c.hiddenSize))),
        position(register_module("position_embeddings",
                                 nn::Embedding(c.maxPositionEmbeddings, c.hiddenSize))),
        tokenType(
            register_module("token_type_embeddings", nn::Embedding(c.typeVocabSize, c.hiddenSize))),
        norm(register_module("LayerNorm", makeLayerNorm(c.hiddenSize, c.layerNormEps))),
        dropout(register_module("dropout", nn::Dropout(c.hiddenDropoutProb))) {}

  torch::Tensor forward(const torch::Tensor& ids, const torch::Tensor& types) {
    auto positions = torch::arange(ids.size(1), ids.options()).unsqueeze(0);
    auto x = word->forward(ids) + position->forward(positions) + tokenType->forward(types);
    return dropout->forward(normalize(norm, x));
  }
  nn::Embedding word, position, tokenType;
  nn::LayerNorm norm;
  nn::Dropout dropout;
};
TORCH_MODULE(Embeddings);

// One layer's slice of ForwardOptions::headKeep / headFill.
struct HeadAblation {
  torch::Tensor keep; // [H], undefined = every head kept
  torch::Tensor fill; // [H, dh], undefined = zeros
};

// ctx [B,H,T,dh] (or [N,H,1,dh]) with the ablated heads replaced by their fill.
torch::Tensor ablateHeads(torch::Tensor ctx, const HeadAblation& a) {
  if (!a.keep.defined()) return ctx;
  const auto H = ctx.size(1), dh = ctx.size(3);
  auto keep = a.keep.to(ctx.options()).view({1, H, 1, 1});
  ctx = ctx * keep;
  if (a.fill.defined()) ctx = ctx + (1 - keep) * a.fill.to(ctx.options()).view({1, H, 1, dh});
  return ctx;
}

// Rows of a [B,T,D] input that repeat, computed once: the masked copies of
// one sentence (the pseudo-likelihood) share every embedding row but the
// masked one, so before the first attention mixes them only ~2T of their T*T
// rows differ. distinct [U,D] holds one of each, inverse [B*T] which it is.
struct RowSharing {
  torch::Tensor distinct;
  torch::Tensor inverse;
};

// The sharing for the embedding output x of (ids, types) on the CPU: rows
// with the same piece, type and position are equal. Undefined unless a
// quarter of the rows repeat (at hidden size 128, one thread, gathering a
// projected row back costs ~1/25 of projecting it and finding the repeats
// ~1/40: 2,044 rows in ~2.2 ms, ~0.09 ms, ~0.06 ms).
RowSharing repeatedRows(const torch::Tensor& ids, const torch::Tensor& types,
                        const torch::Tensor& x, int64_t typeVocab) {
  if (!ids.device().is_cpu()) return {};
  const auto T = ids.size(1), N = ids.numel();
  if (N == 0) return {};
  auto keys = ((ids * typeVocab + types) * T + torch::arange(T, ids.options()).unsqueeze(0))
                  .reshape({N})
                  .contiguous();
  // Sorted by key, then numbered (LibTorch's unique took 10x as long here).
  std::vector<std::pair<int64_t, int64_t>> order(static_cast<size_t>(N));
  const int64_t* key = keys.data_ptr<int64_t>();
  for (int64_t i = 0; i < N; ++i)
    order[static_cast<size_t>(i)] = {key[i], i};
  std::sort(order.begin(), order.end());
  auto inverse = torch::empty({N}, torch::kLong);
  int64_t* which = inverse.data_ptr<int64_t>();
  std::vector<int64_t> representative;
  for (size_t i = 0; i < order.size(); ++i) {
    if (i == 0 || order[i].first != order[i - 1].first)
      representative.push_back(order[i].second); // any row of a key will do: they are equal
    which[order[i].second] = static_cast<int64_t>(representative.size()) - 1;
  }
  const auto U = static_cast<int64_t>(representative.size());
  if (U * 4 > N * 3) return {};
  return {x.reshape({N, x.size(-1)}).index_select(0, torch::tensor(representative, torch::kLong)),
          inverse};
}

// Short CPU float sequences in inference take engine/small_attention.h's
// kernels; the mask, when given, is the float [B,1,1,T] built by forward().
bool smallAttentionApplies(const torch::Tensor& x, const torch::Tensor& additiveMask,
                           int64_t headDim) {
  return x.device().is_cpu() && x.scalar_type() == torch::kFloat &&
         smallAttentionPays(x.size(1), headDim) &&
         (!additiveMask.defined() || additiveMask.scalar_type() == torch::kFloat);
}

struct SelfAttentionImpl : nn::Module {
  SelfAttentionImpl(const format::BertConfig& c)
      : heads(c.numAttentionHeads), headDim(c.headDim()),
        query(register_module("query", nn::Linear(c.hiddenSize, c.hiddenSize))),
        key(register_module("key", nn::Linear(c.hiddenSize, c.hiddenSize))),
        value(register_module("value", nn::Linear(c.hiddenSize, c.hiddenSize))),
        dropout(register_module("dropout", nn::Dropout(c.attentionProbsDropoutProb))) {}

  // Returns the context [B,T,D] and stores the softmax probabilities.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& additiveMask,
                        torch::Tensor* probsOut, const HeadAblation& ablation = {},
                        bool referenceKernels = false, const RowSharing* sharing = nullptr) {
    const auto B = x.size(0), T = x.size(1);
    torch::Tensor q, k, v;
    if (inference(*this)) {
      // Inference: one [3D, D] product instead of three (no gradients needed).
      auto fused = sharing ? affine(sharing->distinct, fusedWeight(), fusedBias)
                                 .index_select(0, sharing->inverse)
                                 .view({B, T, -1})
                           : affine(x, fusedWeight(), fusedBias);
      if (!referenceKernels && smallAttentionApplies(x, additiveMask, headDim)) {
        auto context = smallAttention(fused.contiguous(), additiveMask, heads, probsOut);
        if (!ablation.keep.defined()) return context;
        return ablateHeads(context.view({B, T, heads, headDim}).transpose(1, 2), ablation)
            .transpose(1, 2)
            .reshape({B, T, heads * headDim});
      }
      auto qkv = fused.view({B, T, 3, heads, headDim}).permute({2, 0, 3, 1, 4}); // [3,B,H,T,dh]
      q = qkv[0], k = qkv[1], v = qkv[2];
    } else {
      auto split = [&](const torch::Tensor& t) {
        return t.view({B, T, heads, headDim}).transpose(1, 2);
      };
      q = split(affine(x, query->weight, query->bias));
      k = split(affine(x, key->weight, key->bias));
      v = split(affine(x, value->weight, value->bias));
    }
    // scale * q k^T + mask in one batched product over [B*H] matrices.
    const double scale = 1.0 / std::sqrt(static_cast<double>(headDim));
    auto kt = k.transpose(-1, -2).reshape({B * heads, headDim, T});
    auto q3 = q.reshape({B * heads, T, headDim});
    torch::Tensor scores;
    if (additiveMask.defined())
      scores = torch::baddbmm(additiveMask.expand({B, heads, 1, T}).reshape({B * heads, 1, T}), q3,
                              kt, 1.0, scale);
    else
      scores = torch::bmm(q3, kt).mul_(scale);
    auto probs = torch::softmax(scores.view({B, heads, T, T}), -1);
    if (probsOut) *probsOut = probs;
    auto context = ablateHeads(torch::matmul(dropout->forward(probs), v), ablation);
    return context.transpose(1, 2).reshape({B, T, heads * headDim});
  }
  // The context at `rows` only (flat indices into B*T) as [N, D], for
  // inference: queries for those rows, keys and values for every position.
  torch::Tensor forwardRows(const torch::Tensor& x, const torch::Tensor& additiveMask,
                            const torch::Tensor& rows, const HeadAblation& ablation = {},
                            bool referenceKernels = false) {
    const auto B = x.size(0), T = x.size(1), D = x.size(2), N = rows.size(0);
    const auto& w = fusedWeight();
    if (!referenceKernels && smallAttentionApplies(x, additiveMask, headDim) &&
        foldingPays(B, T, D, N))
      return forwardRowsFolded(x, additiveMask, rows, ablation);
    auto kvFused = affine(x, w.narrow(0, D, 2 * D), fusedBias.narrow(0, D, 2 * D));
    auto batchOf = torch::div(rows, T, "floor");
    auto q = affine(x.reshape({B * T, D}).index_select(0, rows), w.narrow(0, 0, D),
                    fusedBias.narrow(0, 0, D));
    if (!referenceKernels && smallAttentionApplies(x, additiveMask, headDim)) {
      auto context = smallAttentionRows(q.contiguous(), kvFused.contiguous(), batchOf.contiguous(),
                                        additiveMask, heads);
      if (!ablation.keep.defined()) return context;
      return ablateHeads(context.view({N, heads, 1, headDim}), ablation).view({N, D});
    }
    auto kv = kvFused.view({B, T, 2, heads, headDim}).permute({2, 0, 3, 1, 4}); // [2,B,H,T,dh]
    auto k = kv[0].index_select(0, batchOf);                                    // [N,H,T,dh]
    auto v = kv[1].index_select(0, batchOf);
    q = q.view({N * heads, 1, headDim});
    const double scale = 1.0 / std::sqrt(static_cast<double>(headDim));
    auto kt = k.transpose(-1, -2).reshape({N * heads, headDim, T});
    torch::Tensor scores;
    if (additiveMask.defined())
      scores = torch::baddbmm(
          additiveMask.index_select(0, batchOf).expand({N, heads, 1, T}).reshape({N * heads, 1, T}),
          q, kt, 1.0, scale);
    else
      scores = torch::bmm(q, kt).mul_(scale);
    auto probs = torch::softmax(scores, -1);
    auto context = torch::bmm(probs, v.reshape({N * heads, T, headDim}));
    return ablateHeads(context.view({N, heads, 1, headDim}), ablation).view({N, D});
  }
  // Whether projecting keys and values for all B*T positions (2D x D each)
  // costs more than the folded path's three D x D products per query row
  // (the query's own, then W_k^T and W_v per head) plus its attention over
  // D-wide inputs, weighted 4.5x: on one core here the kernel does the 146 x
  // 14-piece layer's 14.6 MFLOP in 0.53-0.70 ms (21-28 GFLOP/s), the
  // products run at 76-90 GFLOP/s (docs/performance.md). True for the
  // pseudo-likelihood's one row per copy; for the demo model's held-out loss
  // (15% of rows) false at 64 pieces, for BERT-base's still true.
  bool foldingPays(int64_t B, int64_t T, int64_t D, int64_t N) const {
    return N * (3 * D + 9 * heads * T) < 2 * B * T * D;
  }
  // forwardRows with the keys and values folded into the query side
  // (engine/small_attention.h, smallAttentionFolded).
  torch::Tensor forwardRowsFolded(const torch::Tensor& x, const torch::Tensor& additiveMask,
                                  const torch::Tensor& rows, const HeadAblation& ablation) {
    const auto B = x.size(0), T = x.size(1), D = x.size(2), N = rows.size(0);
    const auto& w = fusedWeight();
    auto q = affine(x.reshape({B * T, D}).index_select(0, rows), w.narrow(0, 0, D),
                    fusedBias.narrow(0, 0, D));
    auto context = smallAttentionFolded(
        q.contiguous(), x.contiguous(), torch::div(rows, T, "floor"), additiveMask, heads,
        w.narrow(0, D, D), m_valueWeightT, fusedBias.narrow(0, 2 * D, D));
    if (!ablation.keep.defined()) return context;
    return ablateHeads(context.view({N, heads, 1, headDim}), ablation).view({N, D});
  }
  // The fused Q/K/V weight, rebuilt after the weights may have changed
  // (dropCache) or when a parameter's storage was replaced.
  const torch::Tensor& fusedWeight() {
    const std::array<const void*, 3> now{query->weight.data_ptr(), key->weight.data_ptr(),
                                         value->weight.data_ptr()};
    if (!m_fusedWeight.defined() || now != m_fusedFrom) {
      m_fusedWeight = torch::cat({query->weight, key->weight, value->weight}, 0);
      fusedBias = torch::cat({query->bias, key->bias, value->bias}, 0);
      m_valueWeightT = value->weight.t().contiguous();
      m_fusedFrom = now;
    }
    return m_fusedWeight;
  }
  void dropCache() {
    m_fusedWeight = torch::Tensor();
    m_valueWeightT = torch::Tensor();
    fusedBias = torch::Tensor();
  }

  int64_t heads, headDim;
  nn::Linear query, key, value;
  nn::Dropout dropout;
  torch::Tensor fusedBias;

private:
  torch::Tensor m_fusedWeight;
  torch::Tensor m_valueWeightT; // W_v^T for the folded last layer, built with m_fusedWeight
  std::array<const void*, 3> m_fusedFrom{};
};
TORCH_MODULE(SelfAttention);

// dense -> dropout -> LayerNorm(x + residual): HF's BertSelfOutput / BertOutput.
struct ResidualOutputImpl : nn::Module {
  ResidualOutputImpl(int64_t in, int64_t out, const format::BertConfig& c)
      : dense(register_module("dense", nn::Linear(in, out))),
        norm(register_module("LayerNorm", makeLayerNorm(out, c.layerNormEps))),
        dropout(register_module("dropout", nn::Dropout(c.hiddenDropoutProb))) {}
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& residual) {
    if (inference(*this)) {
      // The residual plus the bias, then the product added in place: one
      // pass over the output besides the product's own.
      auto y = residual.reshape({-1, residual.size(-1)}) + dense->bias;
      y.addmm_(x.reshape({-1, x.size(-1)}), dense->weight.t());
      return normalize(norm, y.view(residual.sizes()));
    }
    return norm->forward(dropout->forward(affine(x, dense->weight, dense->bias)) + residual);
  }
  nn::Linear dense;
  nn::LayerNorm norm;
  nn::Dropout dropout;
};
TORCH_MODULE(ResidualOutput);

struct AttentionImpl : nn::Module {
  AttentionImpl(const format::BertConfig& c)
      : self(register_module("self", SelfAttention(c))),
        output(register_module("output", ResidualOutput(c.hiddenSize, c.hiddenSize, c))) {}
  SelfAttention self;
  ResidualOutput output;
};
TORCH_MODULE(Attention);

struct IntermediateImpl : nn::Module {
  IntermediateImpl(const format::BertConfig& c)
      : dense(register_module("dense", nn::Linear(c.hiddenSize, c.intermediateSize))) {}
  // GELU (the exact erf form) of the expansion, in place when no gradient
  // needs the product.
  torch::Tensor forward(const torch::Tensor& x) {
    auto y = affine(x, dense->weight, dense->bias);
    return inference(*this) ? torch::gelu_(y) : torch::gelu(y);
  }
  nn::Linear dense;
};
TORCH_MODULE(Intermediate);

struct LayerImpl : nn::Module {
  LayerImpl(const format::BertConfig& c)
      : attention(register_module("attention", Attention(c))),
        intermediate(register_module("intermediate", Intermediate(c))),
        output(register_module("output", ResidualOutput(c.intermediateSize, c.hiddenSize, c))) {}
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& mask, torch::Tensor* probs,
                        const HeadAblation& ablation, torch::Tensor* contextOut,
                        bool referenceKernels, const RowSharing* sharing = nullptr) {
    auto context = attention->self->forward(x, mask, probs, ablation, referenceKernels, sharing);
    if (contextOut) *contextOut = context;
    auto a = attention->output->forward(context, x);
    return output->forward(intermediate->forward(a), a);
  }
  // The layer's output at `rows` only (flat indices into B*T), [N, D].
  torch::Tensor forwardRows(const torch::Tensor& x, const torch::Tensor& mask,
                            const torch::Tensor& rows, const HeadAblation& ablation,
                            bool referenceKernels) {
    auto residual = x.reshape({-1, x.size(-1)}).index_select(0, rows);
    auto a = attention->output->forward(
        attention->self->forwardRows(x, mask, rows, ablation, referenceKernels), residual);
    return output->forward(intermediate->forward(a), a);
  }
  Attention attention;
  Intermediate intermediate;
  ResidualOutput output;
};
TORCH_MODULE(Layer);

struct EncoderImpl : nn::Module {
  EncoderImpl(const format::BertConfig& c) : layers(register_module("layer", nn::ModuleList())) {
    for (int64_t i = 0; i < c.numHiddenLayers; ++i)
      layers->push_back(Layer(c));
  }
  nn::ModuleList layers;
};
TORCH_MODULE(Encoder);

struct BertImpl : nn::Module {
  BertImpl(const format::BertConfig& c)
      : embeddings(register_module("embeddings", Embeddings(c))),
        encoder(register_module("encoder", Encoder(c))) {}
  Embeddings embeddings;
  Encoder encoder;
};
TORCH_MODULE(Bert);

struct TransformImpl : nn::Module {
  TransformImpl(const format::BertConfig& c)
      : dense(register_module("dense", nn::Linear(c.hiddenSize, c.hiddenSize))),
        norm(register_module("LayerNorm", makeLayerNorm(c.hiddenSize, c.layerNormEps))) {}
  torch::Tensor forward(const torch::Tensor& x) {
    auto y = affine(x, dense->weight, dense->bias);
    return inference(*this) ? normalize(norm, torch::gelu_(y)) : norm->forward(torch::gelu(y));
  }
  nn::Linear dense;
  nn::LayerNorm norm;
};
TORCH_MODULE(Transform);

struct PredictionsImpl : nn::Module {
  PredictionsImpl(const format::BertConfig& c)
      : transform(register_module("transform", Transform(c))),
        bias(register_parameter("bias", torch::zeros({c.vocabSize}))) {}
  Transform transform;
  torch::Tensor bias;
};
TORCH_MODULE(Predictions);

struct ClsImpl : nn::Module {
  ClsImpl(const format::BertConfig& c)
      : predictions(register_module("predictions", Predictions(c))) {}
  Predictions predictions;
};
TORCH_MODULE(Cls);

struct MaskedLMImpl : nn::Module {
  MaskedLMImpl(const format::BertConfig& c)
      : bert(register_module("bert", Bert(c))), cls(register_module("cls", Cls(c))) {}
  Bert bert;
  Cls cls;
};
TORCH_MODULE(MaskedLM);

// HF's _init_weights: normal(0, 0.02) for linear and embedding weights, zero
// biases, LayerNorm weight 1 and bias 0.
void initialiseLikeHf(nn::Module& m) {
  torch::NoGradGuard noGrad;
  for (auto& p : m.named_parameters()) {
    const std::string& name = p.key();
    auto& t = p.value();
    bool isNorm = name.find("LayerNorm") != std::string::npos;
    bool isBias = name.size() >= 4 && name.compare(name.size() - 4, 4, "bias") == 0;
    if (isNorm && !isBias)
      t.fill_(1.0);
    else if (isBias)
      t.zero_();
    else
      t.normal_(0.0, 0.02);
  }
}

} // namespace

struct BertForMaskedLM::Impl {
  explicit Impl(const format::BertConfig& c) : model(c) {}
  MaskedLM model;
};

BertForMaskedLM::BertForMaskedLM(const format::BertConfig& config)
    : m_impl(std::make_unique<Impl>(config)), m_config(config) {
  initialiseLikeHf(*m_impl->model);
  m_impl->model->eval();
}

BertForMaskedLM::~BertForMaskedLM() = default;
BertForMaskedLM::BertForMaskedLM(BertForMaskedLM&&) noexcept = default;
BertForMaskedLM& BertForMaskedLM::operator=(BertForMaskedLM&&) noexcept = default;

BertOutputs BertForMaskedLM::forward(const at::Tensor& inputIds, const at::Tensor& attentionMask,
                                     const at::Tensor& tokenTypeIds,
                                     const ForwardOptions& options) {
  TORCH_CHECK(inputIds.dim() == 2, "input_ids must be [batch, length]");
  TORCH_CHECK(inputIds.size(1) <= m_config.maxPositionEmbeddings, "sequence of length ",
              inputIds.size(1), " exceeds the model's ", m_config.maxPositionEmbeddings,
              " positions");
  auto& m = *m_impl->model;
  auto types = tokenTypeIds.defined() ? tokenTypeIds : torch::zeros_like(inputIds);
  auto x = m.bert->embeddings->forward(inputIds, types);

  // HF: (1 - mask) * finfo(dtype).min added to the scores of padded keys.
  torch::Tensor additive;
  if (attentionMask.defined()) {
    auto keep = attentionMask.to(x.scalar_type()).unsqueeze(1).unsqueeze(2); // [B,1,1,T]
    double minValue = x.scalar_type() == torch::kFloat ? std::numeric_limits<float>::lowest()
                                                       : std::numeric_limits<double>::lowest();
    if (x.scalar_type() == torch::kHalf) minValue = -65504.0;
    if (x.scalar_type() == torch::kBFloat16) minValue = -3.3895313892515355e38;
    additive = (1.0 - keep) * minValue;
  }

  BertOutputs out;
  if (options.hiddenStates) out.hiddenStates.push_back(x);
  const auto& layers = *m.bert->encoder->layers;
  const bool pruneLast = options.pruneLastLayer && options.logits &&
                         options.logitPositions.defined() && !options.attentions &&
                         !options.hiddenStates && !options.headContexts && !m.is_training() &&
                         !torch::GradMode::is_enabled() && layers.size() > 0;
  if (options.headKeep.defined())
    TORCH_CHECK(options.headKeep.dim() == 2 &&
                    options.headKeep.size(0) == static_cast<int64_t>(layers.size()) &&
                    options.headKeep.size(1) == m_config.numAttentionHeads,
                "headKeep must be [layers, heads]");
  if (options.headFill.defined())
    TORCH_CHECK(options.headKeep.defined() &&
                    options.headFill.sizes() ==
                        torch::IntArrayRef({options.headKeep.size(0), options.headKeep.size(1),
                                            m_config.headDim()}),
                "headFill must be [layers, heads, head_dim] beside headKeep");
  RowSharing sharing;
  if (!options.referenceKernels && inference(m) && !(pruneLast && layers.size() == 1))
    sharing = repeatedRows(inputIds, types, x, m_config.typeVocabSize);
  out.firstLayerRows =
      sharing.distinct.defined() ? sharing.distinct.size(0) : x.size(0) * x.size(1);
  for (size_t i = 0; i < layers.size(); ++i) {
    auto layer = std::dynamic_pointer_cast<LayerImpl>(layers[i]);
    HeadAblation ablation;
    if (options.headKeep.defined()) {
      ablation.keep = options.headKeep[static_cast<int64_t>(i)];
      if (options.headFill.defined()) ablation.fill = options.headFill[static_cast<int64_t>(i)];
    }
    if (pruneLast && i + 1 == layers.size()) {
      x = layer->forwardRows(x, additive, options.logitPositions, ablation,
                             options.referenceKernels);
      break;
    }
    torch::Tensor probs, context;
    x = layer->forward(x, additive, options.attentions ? &probs : nullptr, ablation,
                       options.headContexts ? &context : nullptr, options.referenceKernels,
                       i == 0 && sharing.distinct.defined() ? &sharing : nullptr);
    if (options.headContexts) out.headContexts.push_back(context);
    if (options.attentions) out.attentions.push_back(probs);
    if (options.hiddenStates) out.hiddenStates.push_back(x);
  }
  out.lastHidden = x;
  if (options.logits) {
    auto h = x;
    if (options.logitPositions.defined() && !pruneLast)
      h = x.reshape({-1, x.size(-1)}).index_select(0, options.logitPositions);
    auto t = m.cls->predictions->transform->forward(h);
    out.logits = affine(t, m.bert->embeddings->word->weight, m.cls->predictions->bias);
  }
  return out;
}

void BertForMaskedLM::setTraining(bool training) {
  m_impl->model->train(training);
  weightsChanged();
}

void BertForMaskedLM::weightsChanged() {
  for (const auto& layerModule : *m_impl->model->bert->encoder->layers)
    std::dynamic_pointer_cast<LayerImpl>(layerModule)->attention->self->dropCache();
}
bool BertForMaskedLM::isTraining() const {
  return m_impl->model->is_training();
}
void BertForMaskedLM::to(const at::Device& device) {
  m_impl->model->to(device);
  weightsChanged();
}
at::Device BertForMaskedLM::device() const {
  return m_impl->model->bert->embeddings->word->weight.device();
}

std::vector<std::pair<std::string, at::Tensor>> BertForMaskedLM::namedParameters() const {
  std::vector<std::pair<std::string, at::Tensor>> out;
  for (const auto& p : m_impl->model->named_parameters())
    out.emplace_back(p.key(), p.value());
  return out;
}

std::vector<at::Tensor> BertForMaskedLM::parameters() const {
  return m_impl->model->parameters();
}

torch::nn::Module& BertForMaskedLM::module() {
  return *m_impl->model;
}

} // namespace chrysalis::engine
