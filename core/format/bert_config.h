#pragma once
// The model configuration, in Hugging Face BertConfig terms, so that HF
// config.json files map 1:1. No LibTorch here: the GUI reads it too.
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace chrysalis::format {

struct BertConfig {
  int64_t vocabSize = 30522;
  int64_t hiddenSize = 768;
  int64_t numHiddenLayers = 12;
  int64_t numAttentionHeads = 12;
  int64_t intermediateSize = 3072;
  int64_t maxPositionEmbeddings = 512;
  int64_t typeVocabSize = 2;
  double layerNormEps = 1e-12;
  double hiddenDropoutProb = 0.1;
  double attentionProbsDropoutProb = 0.1;
  int64_t padTokenId = 0;
  std::string hiddenAct = "gelu";

  int64_t headDim() const { return hiddenSize / numAttentionHeads; }
  // Number of parameters of BertForMaskedLM with a tied decoder.
  int64_t parameterCount() const;

  // Reads HF config.json content. Throws InputError naming `file` and the
  // offending key for a non-BERT model, a missing or out-of-range field.
  static BertConfig fromJson(const nlohmann::json& j, const std::string& file);
  nlohmann::json toJson() const;
};

bool operator==(const BertConfig& a, const BertConfig& b);

// The expected name and shape of every parameter of BertForMaskedLM (HF
// names; decoder weight tied to the word embeddings, so not listed).
struct ParameterSpec {
  std::string name;
  std::vector<int64_t> shape;
};
std::vector<ParameterSpec> bertParameterSpecs(const BertConfig& c);
// True for the MLM head's parameters (cls.predictions.*), which BertModel
// checkpoints do not have.
bool isMlmHeadParameter(const std::string& name);

// Names that may appear in HF checkpoints and mean the same tensor as a
// listed parameter (e.g. cls.predictions.decoder.bias = cls.predictions.bias),
// or that carry nothing we use (position_ids, pooler, NSP head).
bool isAliasOrIgnorable(const std::string& name);

} // namespace chrysalis::format
