#pragma once
// Turns Hugging Face checkpoint folders (config.json + model.safetensors) into
// a Chrysalis series. Needs no LibTorch: tensors are copied byte for byte in
// their stored dtype (F32, F16 or BF16).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace chrysalis::format {

struct HfImportOptions {
  std::filesystem::path out;                  // the new series folder
  std::string label;                          // defaults to the out folder's name
  std::optional<std::filesystem::path> vocab; // else DIR/vocab.txt of the first checkpoint
  bool doLowerCase = true;
};

// The training step of an HF checkpoint folder: from trainer_state.json's
// global_step, else from a "checkpoint-N" folder name. Throws if neither.
int64_t hfCheckpointStep(const std::filesystem::path& dir);

// Imports each folder as one checkpoint. All folders must share one model
// config. `progress` (optional) is called after each checkpoint.
// Returns the steps written, ascending.
std::vector<int64_t> importHf(const std::vector<std::filesystem::path>& dirs,
                              const HfImportOptions& options,
                              const std::function<void(size_t done, size_t total)>& progress = {});

} // namespace chrysalis::format
