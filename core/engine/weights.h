#pragma once
// Moving weights between a BertForMaskedLM and a series checkpoint file.
#include "engine/bert_model.h"
#include "format/checkpoint_file.h"

#include <filesystem>

namespace chrysalis::engine {

// Loads every parameter from `reader` into `model`. Every tensor's presence,
// dtype and shape are checked against the model's configuration before any
// data is read; a problem throws InputError naming the file and the tensor.
// float16/bfloat16 weights are widened to the model's float32.
// A tensor holding NaN or infinite values loads, with a warning on stderr
// naming the file, the tensor and the step.
void loadWeights(BertForMaskedLM& model, const format::CheckpointReader& reader);

// The checks loadWeights makes before reading, without a model: every
// parameter of `config` present with its shape and a weight dtype (reads
// HDF5 metadata only). Throws InputError naming the file and the tensor.
void requireCheckpointMatches(const format::CheckpointReader& reader,
                              const format::BertConfig& config);

// Convenience: opens `path` and loads it.
void loadWeights(BertForMaskedLM& model, const std::filesystem::path& path);

// Writes the model's parameters as a checkpoint (atomically), in `dtype`
// (F32, F16 or BF16).
void saveWeights(const BertForMaskedLM& model, const std::filesystem::path& path,
                 const format::CheckpointInfo& info, format::DType dtype = format::DType::F32);

} // namespace chrysalis::engine
