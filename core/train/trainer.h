#pragma once
// Regularized masked-LM training that writes a live series: BERT from
// scratch (or from a series checkpoint), AdamW with warm-up and linear
// decay, the syntactic regularizer (docs/method.md, "Syntactic
// regularizer"), checkpoints on a cadence and a resume state beside each, so
// `--resume` after a crash continues exactly as an uninterrupted run would.
// LibTorch stays out of this header.
#include "engine/bert_model.h"
#include "text/wordpiece.h"
#include "train/corpus.h"
#include "train/masking.h"
#include "train/train_config.h"

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace chrysalis::train {

class Communicator;

struct StepStats {
  int64_t step = 0;   // optimizer steps taken after this update
  double loss = 0;    // mlmLoss + λ·regLoss
  double mlmLoss = 0; // mean over micro-batches of the masked-token cross-entropy
  double regLoss = 0; // mean over micro-batches of the regularizer sum (0 when λ = 0)
  double lambda = 0;  // λ used by this update
  double learningRate = 0;
  int64_t tokens = 0;     // real tokens of this update, all processes
  int64_t tokensSeen = 0; // since the run began
  int64_t maskedTokens = 0;
  int64_t pairs = 0; // dependency pairs in this update's batches
  bool attentionsRequested = false;
  double seconds = 0;  // this update's duration
  double wallTime = 0; // of the run
};

struct CheckpointEvent {
  int64_t step = 0;
  std::filesystem::path path;
};

struct TrainerCallbacks {
  std::function<void(const StepStats&)> onStep;
  std::function<void(const CheckpointEvent&)> onCheckpoint;
};

struct ResumeOptions {
  int threads = -1; // -1 = as recorded
  // > 0: train on to this step instead of the recorded end. The recorded
  // learning-rate schedule (warm-up, horizon) is kept, so the continuation
  // equals a run started with these steps; it may not pass the horizon,
  // where the learning rate has reached 0.
  int64_t steps = 0;
  std::string commandLine; // recorded in series.json when the run is extended
};

class Trainer {
public:
  // Starts a new run. With a non-empty outputDir the series is created there
  // (by rank 0) and checkpoints go to it; with an empty one nothing is
  // written (library use, tests). `comm` (optional) joins a data-parallel
  // group and must outlive the trainer.
  static std::unique_ptr<Trainer> create(const TrainConfig& config,
                                         const std::filesystem::path& outputDir,
                                         Communicator* comm = nullptr);
  // Continues the series from its newest complete resume state (or from
  // step 0 when none was written yet), with the recorded configuration; the
  // training data must be unchanged (size and hash are checked).
  static std::unique_ptr<Trainer> resume(const std::filesystem::path& series,
                                         const ResumeOptions& options = {},
                                         Communicator* comm = nullptr);
  ~Trainer();

  // One optimizer step (all micro-batches, all-reduce, clip, AdamW).
  StepStats step();
  // Writes the checkpoint and resume state of the current step (rank 0 only;
  // nothing without a series).
  void checkpoint();
  // Steps to the end, checkpointing on the cadence. When *stop becomes true
  // it finishes the step, writes a checkpoint + state and returns false.
  bool run(const TrainerCallbacks& callbacks = {}, const std::atomic<bool>* stop = nullptr);

  int64_t currentStep() const;
  int64_t tokensSeen() const;
  const TrainConfig& config() const;
  const std::vector<int64_t>& checkpointSteps() const;
  const std::filesystem::path& seriesDir() const;
  engine::BertForMaskedLM& model();
  const text::WordPieceTokenizer& tokenizer() const;
  const Corpus& corpus() const;
  // Notes for the user (vocabulary built, corpus size, truncations).
  const std::vector<std::string>& notes() const;

  // Micro-batch g of the run: step s, micro-batch a and rank r train on
  // g = (s·gradAccum + a)·worldSize + r.
  MaskedBatch microBatch(int64_t g);
  // The regularizer sum of `batch` with the model in eval mode (no dropout,
  // no gradient): how much attention the gold pairs get.
  double syntacticMass(const MaskedBatch& batch);

private:
  struct Impl;
  explicit Trainer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

} // namespace chrysalis::train
