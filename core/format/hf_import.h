#pragma once
// Turns Hugging Face checkpoints into a Chrysalis series: single checkpoint
// folders (config.json + model.safetensors, pytorch_model.bin, or shards
// through their index) or whole Trainer output folders (checkpoint-N/ plus
// trainer_state.json, whose log_history becomes the series' training log).
// Needs no LibTorch: tensors are copied byte for byte in their stored dtype
// (F32, F16 or BF16).
#include "format/train_log.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace chrysalis::format {

struct HfImportOptions {
  std::filesystem::path out;                  // the series folder
  std::string label;                          // defaults to the out folder's name
  std::optional<std::filesystem::path> vocab; // else the checkpoint's (or run's) vocab.txt
  std::optional<bool> doLowerCase;            // else tokenizer_config.json, else true
  // Add to an existing series (same model), skipping steps it already has.
  bool append = false;
  // Import without copying: the checkpoint files refer to the source files'
  // bytes (HDF5 external storage) and series.json lists those files; a
  // missing or changed source is then a named error.
  bool link = false;
  // Said once per import: tensors ignored, a missing MLM head, where the
  // vocabulary came from. Default: nothing.
  std::function<void(const std::string&)> notice;
};

// The training step of an HF checkpoint folder: from trainer_state.json's
// global_step, else from a "checkpoint-N" folder name. Throws if neither.
int64_t hfCheckpointStep(const std::filesystem::path& dir);

// Whether `dir` is one checkpoint (it has config.json).
bool isHfCheckpointFolder(const std::filesystem::path& dir);
// The checkpoint folders the arguments name: a checkpoint folder stands for
// itself, a Trainer output folder for its checkpoint-N/ folders (those with
// a config.json; a folder still being written is skipped when
// `onlyFinished`: see isFinishedCheckpoint). Throws InputError for a folder
// that is neither.
std::vector<std::filesystem::path> expandHfFolders(const std::vector<std::filesystem::path>& args,
                                                   bool onlyFinished = false);
// Whether the Trainer has finished writing a checkpoint-N folder: its
// trainer_state.json (written last) exists and no file in it changed in the
// last `quietSeconds`.
bool isFinishedCheckpoint(const std::filesystem::path& dir, double quietSeconds = 2.0);

// The training log in trainer_state.json's log_history (rows with a "loss";
// learning_rate and grad_norm where logged). Empty when there is none.
TrainLog trainLogFromTrainerState(const std::filesystem::path& trainerStateJson);

// Imports each folder as one checkpoint. All folders must share one model
// config. `progress` (optional) is called after each checkpoint written
// (steps the series already has are skipped and not counted).
// Returns the steps written, ascending.
using HfImportProgress = std::function<void(int64_t step, size_t done, size_t total)>;
std::vector<int64_t> importHf(const std::vector<std::filesystem::path>& dirs,
                              const HfImportOptions& options,
                              const HfImportProgress& progress = {});

} // namespace chrysalis::format
