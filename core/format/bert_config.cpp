#include "format/bert_config.h"

#include "common/error.h"

#include <nlohmann/json.hpp>

namespace chrysalis::format {

namespace {

int64_t intField(const nlohmann::json& j, const char* key, int64_t fallback, int64_t lo, int64_t hi,
                 const std::string& file, bool required) {
  if (!j.contains(key)) {
    if (required) throw InputError(file, std::string("key '") + key + "'", "missing");
    return fallback;
  }
  const auto& v = j.at(key);
  if (!v.is_number_integer())
    throw InputError(file, std::string("key '") + key + "'", "expected an integer");
  int64_t x = v.get<int64_t>();
  if (x < lo || x > hi)
    throw InputError(file, std::string("key '") + key + "'",
                     "value " + std::to_string(x) + " out of range [" + std::to_string(lo) + ", " +
                         std::to_string(hi) + "]");
  return x;
}

double numField(const nlohmann::json& j, const char* key, double fallback, double lo, double hi,
                const std::string& file) {
  if (!j.contains(key) || j.at(key).is_null()) return fallback;
  const auto& v = j.at(key);
  if (!v.is_number()) throw InputError(file, std::string("key '") + key + "'", "expected a number");
  double x = v.get<double>();
  if (!(x >= lo && x <= hi))
    throw InputError(file, std::string("key '") + key + "'", "value out of range");
  return x;
}

} // namespace

BertConfig BertConfig::fromJson(const nlohmann::json& j, const std::string& file) {
  if (!j.is_object()) throw InputError(file, "", "model config is not a JSON object");
  if (j.contains("model_type")) {
    if (!j["model_type"].is_string() || j["model_type"].get<std::string>() != "bert")
      throw InputError(file, "key 'model_type'",
                       "not a BERT model (model_type " + j["model_type"].dump() + ")");
  }
  BertConfig c;
  c.vocabSize = intField(j, "vocab_size", c.vocabSize, 1, 4'000'000, file, true);
  c.hiddenSize = intField(j, "hidden_size", c.hiddenSize, 1, 65536, file, true);
  c.numHiddenLayers = intField(j, "num_hidden_layers", c.numHiddenLayers, 1, 256, file, true);
  c.numAttentionHeads =
      intField(j, "num_attention_heads", c.numAttentionHeads, 1, 1024, file, true);
  c.intermediateSize = intField(j, "intermediate_size", c.intermediateSize, 1, 1 << 20, file, true);
  c.maxPositionEmbeddings =
      intField(j, "max_position_embeddings", c.maxPositionEmbeddings, 1, 1 << 20, file, false);
  c.typeVocabSize = intField(j, "type_vocab_size", c.typeVocabSize, 1, 1024, file, false);
  c.padTokenId = intField(j, "pad_token_id", c.padTokenId, 0, c.vocabSize - 1, file, false);
  c.layerNormEps = numField(j, "layer_norm_eps", c.layerNormEps, 0.0, 1.0, file);
  c.hiddenDropoutProb = numField(j, "hidden_dropout_prob", c.hiddenDropoutProb, 0.0, 1.0, file);
  c.attentionProbsDropoutProb =
      numField(j, "attention_probs_dropout_prob", c.attentionProbsDropoutProb, 0.0, 1.0, file);
  if (j.contains("hidden_act")) {
    if (!j["hidden_act"].is_string() || j["hidden_act"].get<std::string>() != "gelu")
      throw InputError(file, "key 'hidden_act'",
                       "only exact-erf \"gelu\" is supported, got " + j["hidden_act"].dump());
  }
  if (j.contains("position_embedding_type") &&
      j["position_embedding_type"] != nlohmann::json("absolute"))
    throw InputError(file, "key 'position_embedding_type'", "only \"absolute\" is supported");
  if (c.hiddenSize % c.numAttentionHeads != 0)
    throw InputError(file, "key 'num_attention_heads'",
                     "hidden_size " + std::to_string(c.hiddenSize) + " is not divisible by " +
                         std::to_string(c.numAttentionHeads) + " heads");
  return c;
}

nlohmann::json BertConfig::toJson() const {
  return nlohmann::json{
      {"model_type", "bert"},
      {"architectures", {"BertForMaskedLM"}},
      {"vocab_size", vocabSize},
      {"hidden_size", hiddenSize},
      {"num_hidden_layers", numHiddenLayers},
      {"num_attention_heads", numAttentionHeads},
      {"intermediate_size", intermediateSize},
      {"max_position_embeddings", maxPositionEmbeddings},
      {"type_vocab_size", typeVocabSize},
      {"layer_norm_eps", layerNormEps},
      {"hidden_dropout_prob", hiddenDropoutProb},
      {"attention_probs_dropout_prob", attentionProbsDropoutProb},
      {"pad_token_id", padTokenId},
      {"hidden_act", hiddenAct},
      {"position_embedding_type", "absolute"},
  };
}

bool operator==(const BertConfig& a, const BertConfig& b) {
  return a.toJson() == b.toJson();
}

std::vector<ParameterSpec> bertParameterSpecs(const BertConfig& c) {
  const int64_t D = c.hiddenSize, I = c.intermediateSize, V = c.vocabSize;
  std::vector<ParameterSpec> s{
      {"bert.embeddings.word_embeddings.weight", {V, D}},
      {"bert.embeddings.position_embeddings.weight", {c.maxPositionEmbeddings, D}},
      {"bert.embeddings.token_type_embeddings.weight", {c.typeVocabSize, D}},
      {"bert.embeddings.LayerNorm.weight", {D}},
      {"bert.embeddings.LayerNorm.bias", {D}},
  };
  for (int64_t i = 0; i < c.numHiddenLayers; ++i) {
    const std::string p = "bert.encoder.layer." + std::to_string(i) + ".";
    for (const char* qkv : {"query", "key", "value"}) {
      s.push_back({p + "attention.self." + qkv + ".weight", {D, D}});
      s.push_back({p + "attention.self." + qkv + ".bias", {D}});
    }
    s.push_back({p + "attention.output.dense.weight", {D, D}});
    s.push_back({p + "attention.output.dense.bias", {D}});
    s.push_back({p + "attention.output.LayerNorm.weight", {D}});
    s.push_back({p + "attention.output.LayerNorm.bias", {D}});
    s.push_back({p + "intermediate.dense.weight", {I, D}});
    s.push_back({p + "intermediate.dense.bias", {I}});
    s.push_back({p + "output.dense.weight", {D, I}});
    s.push_back({p + "output.dense.bias", {D}});
    s.push_back({p + "output.LayerNorm.weight", {D}});
    s.push_back({p + "output.LayerNorm.bias", {D}});
  }
  s.push_back({"cls.predictions.transform.dense.weight", {D, D}});
  s.push_back({"cls.predictions.transform.dense.bias", {D}});
  s.push_back({"cls.predictions.transform.LayerNorm.weight", {D}});
  s.push_back({"cls.predictions.transform.LayerNorm.bias", {D}});
  s.push_back({"cls.predictions.bias", {V}});
  return s;
}

int64_t BertConfig::parameterCount() const {
  int64_t n = 0;
  for (const auto& p : bertParameterSpecs(*this)) {
    int64_t k = 1;
    for (auto d : p.shape)
      k *= d;
    n += k;
  }
  return n;
}

bool isMlmHeadParameter(const std::string& name) {
  return name.rfind("cls.predictions.", 0) == 0;
}

bool isAliasOrIgnorable(const std::string& name) {
  return name == "cls.predictions.decoder.weight" || name == "cls.predictions.decoder.bias" ||
         name == "bert.embeddings.position_ids" || name.rfind("bert.pooler.", 0) == 0 ||
         name.rfind("cls.seq_relationship.", 0) == 0;
}

} // namespace chrysalis::format
