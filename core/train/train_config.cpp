#include "train/train_config.h"

#include "common/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace chrysalis::train {

namespace {

const char* kWhere = "command line";

void require(bool ok, const std::string& flag, const std::string& reason) {
  if (!ok) throw InputError(kWhere, flag, reason);
}

format::DType dtypeFromName(const std::string& name, const std::string& file) {
  if (name == "float32" || name == "f32") return format::DType::F32;
  if (name == "float16" || name == "f16") return format::DType::F16;
  if (name == "bfloat16" || name == "bf16") return format::DType::BF16;
  throw InputError(file, "weights_dtype",
                   "expected float32, float16 or bfloat16, not '" + name + "'");
}

void setShape(TrainConfig& c, int64_t layers, int64_t hidden, int64_t heads, int64_t ffn) {
  c.model.numHiddenLayers = layers;
  c.model.hiddenSize = hidden;
  c.model.numAttentionHeads = heads;
  c.model.intermediateSize = ffn;
}

} // namespace

std::string scheduleName(Schedule s) {
  switch (s) {
  case Schedule::SasMinus:
    return "sas-";
  case Schedule::SasPlus:
    return "sas+";
  default:
    return "baseline";
  }
}

Schedule scheduleFromName(const std::string& name) {
  if (name == "baseline") return Schedule::Baseline;
  if (name == "sas-" || name == "sas\u2212" || name == "SAS-") return Schedule::SasMinus;
  if (name == "sas+" || name == "SAS+") return Schedule::SasPlus;
  throw InputError(kWhere, "--schedule", "expected baseline, sas+ or sas-, not '" + name + "'");
}

std::vector<std::string> presetNames() {
  return {"tiny", "demo", "small", "base"};
}

TrainConfig presetConfig(const std::string& name) {
  TrainConfig c;
  c.preset = name;
  if (name == "tiny") { // seconds: for tests
    setShape(c, 2, 32, 2, 64);
    c.maxSeqLength = 32;
    c.batchSize = 8;
    c.steps = 40;
    c.learningRate = 1e-3;
    c.warmupSteps = 10;
    c.vocabSize = 500;
  } else if (name == "demo") { // demo-feasibility.md's recipe, WordPiece instead of words
    setShape(c, 4, 128, 4, 512);
    c.maxSeqLength = 128;
    c.batchSize = 32;
    c.steps = 2000;
    c.learningRate = 1e-3;
    c.warmupSteps = 300;
    c.vocabSize = 5000;
  } else if (name == "small") { // a workstation/one-GPU run
    setShape(c, 6, 512, 8, 2048);
    c.maxSeqLength = 128;
    c.batchSize = 128;
    c.steps = 100000;
    c.learningRate = 5e-4;
    c.warmupSteps = 2000;
    c.vocabSize = 16000;
  } else if (name == "base") { // the paper: BERT-base, 1M-step horizon
    setShape(c, 12, 768, 12, 3072);
    c.maxSeqLength = 512;
    c.batchSize = 256;
    c.steps = 1000000;
    c.horizon = 1000000;
    c.learningRate = 1e-4;
    c.warmupSteps = 10000;
    c.vocabSize = 30522;
  } else {
    throw InputError(kWhere, "--preset", "unknown preset '" + name + "' (tiny, demo, small, base)");
  }
  c.model.maxPositionEmbeddings = c.maxSeqLength;
  return c;
}

bool validKeepRule(const std::string& rule) {
  if (rule.empty()) return true;
  const auto colon = rule.find(':');
  if (colon == std::string::npos) return false;
  const std::string kind = rule.substr(0, colon), n = rule.substr(colon + 1);
  return (kind == "every" || kind == "log") && !n.empty() && n.size() <= 9 &&
         n.find_first_not_of("0123456789") == std::string::npos && std::stoll(n) >= 1;
}

void TrainConfig::validate() const {
  require(dataFiles.size() > 0, "--data", "at least one training file is needed");
  require(model.numHiddenLayers > 0, "--layers", "must be positive");
  require(model.hiddenSize > 0 && model.numAttentionHeads > 0, "--hidden/--heads",
          "must be positive");
  require(model.hiddenSize % model.numAttentionHeads == 0, "--hidden",
          "hidden size " + std::to_string(model.hiddenSize) + " is not divisible by " +
              std::to_string(model.numAttentionHeads) + " heads");
  require(model.intermediateSize > 0, "--ffn", "must be positive");
  require(maxSeqLength >= 3, "--max-seq", "must be at least 3 ([CLS] piece [SEP])");
  require(maxSeqLength <= model.maxPositionEmbeddings, "--max-seq",
          "longer than the model's " + std::to_string(model.maxPositionEmbeddings) + " positions");
  require(model.hiddenDropoutProb >= 0 && model.hiddenDropoutProb < 1, "--dropout",
          "must be in [0, 1)");
  require(model.attentionProbsDropoutProb >= 0 && model.attentionProbsDropoutProb < 1, "--dropout",
          "must be in [0, 1)");
  require(steps >= 0, "--steps", "must be >= 0");
  require(batchSize > 0, "--batch", "must be positive");
  require(gradAccum > 0, "--grad-accum", "must be positive");
  require(learningRate > 0 && std::isfinite(learningRate), "--lr", "must be positive");
  require(warmupSteps >= 0, "--warmup", "must be >= 0");
  require(horizon >= 0, "--horizon", "must be >= 0");
  require(weightDecay >= 0, "--weight-decay", "must be >= 0");
  require(clipNorm >= 0, "--clip", "must be >= 0");
  require(maskProb > 0 && maskProb < 1, "--mask-prob", "must be in (0, 1)");
  require(vocabFile.empty() || initSeries.empty(), "--vocab",
          "--init uses the vocabulary of the series it starts from");
  require(vocabFile.empty() ? vocabSize >= 5 + 2 : true, "--vocab-size", "too small");
  require(initSeries.empty() || initStep >= 0, "--init-step", "needed with --init");
  require(std::isfinite(lambda), "--lambda", "must be finite");
  switch (schedule) {
  case Schedule::Baseline:
    require(lambda == 0.0, "--lambda", "the baseline schedule has λ = 0");
    break;
  case Schedule::SasMinus:
    require(lambda > 0.0, "--lambda", "SAS− needs λ > 0");
    break;
  case Schedule::SasPlus:
    require(lambda < 0.0, "--lambda", "SAS+ needs λ < 0");
    break;
  }
  require(suppressUntil >= 0, "--suppress-until", "must be >= 0");
  require(threads >= 0, "--threads", "must be >= 0");
  require(checkpointEvery >= 0, "--checkpoint-every", "must be >= 0");
  for (int64_t s : checkpointSteps)
    require(s >= 0 && s <= steps, "--checkpoint-steps",
            "step " + std::to_string(s) + " is outside 0.." + std::to_string(steps));
  require(keepStates >= 1, "--keep-states", "must be at least 1");
  require(validKeepRule(keepStatesAt), "--keep-states",
          "'" + keepStatesAt + "': expected a count, every:N or log:K");
}

nlohmann::json TrainConfig::toJson() const {
  return nlohmann::json{
      {"preset", preset},
      {"label", label},
      {"model_config", model.toJson()},
      {"data_files", dataFiles},
      {"max_sentences", maxSentences},
      {"max_seq_length", maxSeqLength},
      {"vocab_file", vocabFile},
      {"vocab_size", vocabSize},
      {"do_lower_case", lowerCase},
      {"init_series", initSeries},
      {"init_step", initStep},
      {"steps", steps},
      {"batch_size", batchSize},
      {"grad_accum", gradAccum},
      {"learning_rate", learningRate},
      {"warmup_steps", warmupSteps},
      {"horizon", horizonSteps()},
      {"weight_decay", weightDecay},
      {"adam_beta1", adamBeta1},
      {"adam_beta2", adamBeta2},
      {"adam_eps", adamEps},
      {"clip_norm", clipNorm},
      {"mask_prob", maskProb},
      {"schedule", scheduleName(schedule)},
      {"lambda", lambda},
      {"suppress_until", suppressUntil},
      {"seed", seed},
      {"threads", threads},
      {"checkpoint_every", checkpointEvery},
      {"checkpoint_steps", checkpointSteps},
      {"weights_dtype", format::dtypeName(weightsDType)},
      {"keep_states", keepStates},
      {"keep_states_at", keepStatesAt},
      {"command_line", commandLine},
  };
}

TrainConfig TrainConfig::fromJson(const nlohmann::json& j, const std::string& file) {
  if (!j.is_object()) throw InputError(file, "training", "not a JSON object");
  TrainConfig c;
  auto get = [&](const char* key, auto& field) {
    if (!j.contains(key)) throw InputError(file, std::string("training.") + key, "missing");
    try {
      j.at(key).get_to(field);
    } catch (const nlohmann::json::exception& e) {
      throw InputError(file, std::string("training.") + key, e.what());
    }
  };
  get("preset", c.preset);
  get("label", c.label);
  if (!j.contains("model_config")) throw InputError(file, "training.model_config", "missing");
  c.model = format::BertConfig::fromJson(j["model_config"], file + " (training.model_config)");
  get("data_files", c.dataFiles);
  get("max_sentences", c.maxSentences);
  get("max_seq_length", c.maxSeqLength);
  get("vocab_file", c.vocabFile);
  get("vocab_size", c.vocabSize);
  get("do_lower_case", c.lowerCase);
  get("init_series", c.initSeries);
  get("init_step", c.initStep);
  get("steps", c.steps);
  get("batch_size", c.batchSize);
  get("grad_accum", c.gradAccum);
  get("learning_rate", c.learningRate);
  get("warmup_steps", c.warmupSteps);
  get("horizon", c.horizon);
  get("weight_decay", c.weightDecay);
  get("adam_beta1", c.adamBeta1);
  get("adam_beta2", c.adamBeta2);
  get("adam_eps", c.adamEps);
  get("clip_norm", c.clipNorm);
  get("mask_prob", c.maskProb);
  std::string schedule;
  get("schedule", schedule);
  c.schedule = scheduleFromName(schedule);
  get("lambda", c.lambda);
  get("suppress_until", c.suppressUntil);
  get("seed", c.seed);
  get("threads", c.threads);
  get("checkpoint_every", c.checkpointEvery);
  get("checkpoint_steps", c.checkpointSteps);
  std::string dtype;
  get("weights_dtype", dtype);
  c.weightsDType = dtypeFromName(dtype, file);
  get("keep_states", c.keepStates);
  // Absent in runs recorded before the rule existed.
  if (j.contains("keep_states_at")) get("keep_states_at", c.keepStatesAt);
  if (!validKeepRule(c.keepStatesAt))
    throw InputError(file, "training.keep_states_at",
                     "'" + c.keepStatesAt + "': expected \"\", every:N or log:K");
  get("command_line", c.commandLine);
  return c;
}

} // namespace chrysalis::train
