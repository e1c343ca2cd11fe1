#pragma once
// Everything that defines a training run: model shape, data, optimisation,
// the syntactic regularizer and the checkpoint cadence. It is recorded in
// series.json (`training`) and read back by `train --resume`, so a resumed
// run needs nothing but the series folder. No LibTorch here.
#include "format/bert_config.h"
#include "format/dtype.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace chrysalis::train {

// How λ is used: baseline (λ = 0), SAS− (λ > 0 suppresses syntactic
// attention), SAS+ (λ < 0 promotes it).
enum class Schedule { Baseline, SasMinus, SasPlus };
std::string scheduleName(Schedule s);
// "baseline", "sas-", "sas+" (also "sas−" with a real minus sign).
Schedule scheduleFromName(const std::string& name);

struct TrainConfig {
  std::string preset = "tiny";
  std::string label;

  // Model. vocabSize is set from the vocabulary when the run starts;
  // maxPositionEmbeddings follows maxSeqLength unless initialised from a series.
  format::BertConfig model;

  // Data.
  std::vector<std::string> dataFiles; // CoNLL-U (.conllu/.conll) or raw text, absolute paths
  int64_t maxSentences = 0;           // 0 = every sentence/line of every file
  int64_t maxSeqLength = 128;         // pieces per sequence incl. [CLS]/[SEP]
  std::string vocabFile;              // empty: build one from the training text
  int64_t vocabSize = 5000;           // target size of a built vocabulary
  bool lowerCase = true;              // uncased tokenizer (lower-case + strip accents)
  std::string initSeries;             // start from a checkpoint of this series...
  int64_t initStep = -1;              // ...at this step

  // Optimisation (AdamW with linear warm-up and linear decay to 0 at the horizon).
  int64_t steps = 40;
  int64_t batchSize = 8; // sequences per micro-batch (per process)
  int64_t gradAccum = 1; // micro-batches per optimizer step
  double learningRate = 1e-3;
  int64_t warmupSteps = 10;
  int64_t horizon = 0; // decay reaches 0 here; 0 = `steps`
  double weightDecay = 0.01;
  double adamBeta1 = 0.9;
  double adamBeta2 = 0.999;
  double adamEps = 1e-8; // Hugging Face Trainer's default
  double clipNorm = 1.0; // 0 = no clipping
  double maskProb = 0.15;

  // Syntactic regularizer (docs/method.md, "Syntactic regularizer"):
  // loss = L_MLM + λ·Σ_pairs [M(i→p) + M(p→i)].
  Schedule schedule = Schedule::Baseline;
  double lambda = 0.0;       // signed: > 0 for SAS−, < 0 for SAS+, 0 for baseline
  int64_t suppressUntil = 0; // λ becomes 0 from this step on (0 = never)

  // Reproducibility.
  uint64_t seed = 1;
  int threads = 0; // 0 = LibTorch's default

  // Checkpoints.
  int64_t checkpointEvery = 0;          // 0 = the default dense-then-sparse rule
  std::vector<int64_t> checkpointSteps; // explicit list (wins over checkpointEvery)
  format::DType weightsDType = format::DType::F32;
  int64_t keepStates = 1; // how many resume states to keep (newest first)
  // Resume states kept besides the newest, for `train --densify`: "" (none),
  // "every:N" (checkpoints at multiples of N) or "log:K" (the first
  // checkpoint in each of K log-spaced bands per decade of steps; step 0 too).
  std::string keepStatesAt;

  std::string commandLine; // as typed, for the record

  int64_t horizonSteps() const { return horizon > 0 ? horizon : steps; }
  // Sequences per optimizer step over all processes.
  int64_t globalBatch(int worldSize) const { return batchSize * gradAccum * worldSize; }

  // Throws InputError("command line", "--flag", reason) on inconsistent values.
  void validate() const;
  nlohmann::json toJson() const;
  // Reads what toJson wrote; `file` names the source in errors.
  static TrainConfig fromJson(const nlohmann::json& j, const std::string& file);
};

// Whether `rule` is a valid keepStatesAt: "", every:N or log:K with N, K >= 1.
bool validKeepRule(const std::string& rule);

// A preset's configuration: "tiny" (tests, seconds), "demo" (minutes on a
// laptop), "small", "base" (BERT-base as in the paper). Throws InputError
// for an unknown name.
TrainConfig presetConfig(const std::string& name);
std::vector<std::string> presetNames();

} // namespace chrysalis::train
