#pragma once
// BERT for masked-LM exactly as Hugging Face's BertForMaskedLM computes it:
// post-LayerNorm, exact-erf GELU, learned absolute positions, token types,
// decoder tied to the word embeddings with its own bias, no NSP head.
// Parameter names are HF's, so checkpoints map 1:1 (format/bert_config.h).
// The module itself is private to bert_model.cpp to keep torch/torch.h out
// of every includer.
#include "format/bert_config.h"

#include <ATen/core/Tensor.h>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace torch::nn {
class Module;
}

namespace chrysalis::engine {

struct ForwardOptions {
  bool attentions = false;   // every layer's softmax probabilities [B,H,T,T]
  bool hiddenStates = false; // embedding output, then each layer's output [B,T,D]
  bool logits = true;
  // When defined (int64 [N], flat indices into B*T), logits are computed only
  // at these positions: [N,V] instead of [B,T,V]. The vocab projection is the
  // most expensive part of a small model, so training and probes use this.
  at::Tensor logitPositions;
  // With logitPositions, in inference (no gradients, eval mode) and without
  // attentions or hidden states asked for: the last layer computes only the
  // rows whose logits are asked for (keys and values still from every
  // position), and lastHidden is those rows, [N,D]. Same values to float
  // rounding; most of the last layer's work skipped when N << B*T.
  bool pruneLastLayer = false;
  // Head ablation (docs/method.md, "Head ablation"). headKeep, float [L,H]:
  // 1 keeps a head, 0 replaces its attention output (its context vector,
  // before the layer's output projection) by headFill [L,H,dh], or by zeros
  // when headFill is undefined (HF's head_mask does the same for 0/1).
  at::Tensor headKeep;
  at::Tensor headFill;
  // Each layer's head contexts as they enter the output projection, ablation
  // applied: L x [B,T,D], head h at columns h*dh .. (h+1)*dh.
  bool headContexts = false;
  // The plain path for tests and benchmarks to compare against: LibTorch's
  // batched products for attention even where the short-sequence kernels
  // apply (engine/small_attention.h), every row projected in the first
  // layer, keys and values projected in a pruned last layer (no folding).
  // LayerNorm is the engine's in inference either way (engine/layer_norm.h).
  bool referenceKernels = false;
};

struct BertOutputs {
  at::Tensor logits;                    // [B,T,V] or [N,V]
  std::vector<at::Tensor> attentions;   // L x [B,H,T,T] (before attention dropout)
  std::vector<at::Tensor> hiddenStates; // L+1 x [B,T,D]
  at::Tensor lastHidden;                // [B,T,D] ([N,D] when pruned), always set
  std::vector<at::Tensor> headContexts; // L x [B,T,D] when asked for
  // Rows the first layer's Q/K/V projection computed: B*T, or fewer where
  // rows repeat (the masked copies of a sentence) in inference.
  int64_t firstLayerRows = 0;
};

class BertForMaskedLM {
public:
  // Parameters are initialised as HF does (normal(0, 0.02), LayerNorm 1/0).
  explicit BertForMaskedLM(const format::BertConfig& config);
  ~BertForMaskedLM();
  BertForMaskedLM(BertForMaskedLM&&) noexcept;
  BertForMaskedLM& operator=(BertForMaskedLM&&) noexcept;

  // inputIds, attentionMask (1 = real token, 0 = padding) and tokenTypeIds
  // are int64 [B,T]; an undefined mask means all real, undefined token types
  // mean all zero.
  BertOutputs forward(const at::Tensor& inputIds, const at::Tensor& attentionMask = {},
                      const at::Tensor& tokenTypeIds = {}, const ForwardOptions& options = {});

  void setTraining(bool training);
  // Inference keeps derived copies of some weights (the fused Q/K/V matrix);
  // call after writing into the parameters in place (loadWeights does).
  void weightsChanged();
  bool isTraining() const;
  void to(const at::Device& device);
  at::Device device() const;

  const format::BertConfig& config() const { return m_config; }
  // HF-named parameters (no decoder weight: it is the word embedding matrix).
  std::vector<std::pair<std::string, at::Tensor>> namedParameters() const;
  std::vector<at::Tensor> parameters() const;
  torch::nn::Module& module();

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
  format::BertConfig m_config;
};

} // namespace chrysalis::engine
