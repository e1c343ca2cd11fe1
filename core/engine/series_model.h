#pragma once
// The one way the engine opens a series' model and vocabulary. Everything
// that can be checked cheaply is checked before memory is committed: the
// vocabulary's length against vocab_size (one extra line would shift every
// id), the configuration against sane bounds, and the checkpoint's tensor
// shapes (HDF5 metadata only) against the configuration; a hostile
// series.json cannot make the engine allocate gigabytes first.
#include "engine/bert_model.h"
#include "format/bert_config.h"
#include "format/series.h"
#include "text/vocab.h"

#include <filesystem>
#include <memory>

namespace chrysalis::engine {

// At most this many parameters (4 GB as float32; BERT-large has 335 M).
inline constexpr int64_t kMaxModelParameters = 1'000'000'000;

// Throws InputError naming `file` when the model described by `config`
// would exceed kMaxModelParameters (computed without overflow).
void requireSaneModelSize(const format::BertConfig& config, const std::string& file);

// The series' vocabulary; throws InputError naming vocab.txt when its
// length differs from the model's vocab_size.
text::Vocab loadSeriesVocab(const std::filesystem::path& series, const format::SeriesMeta& meta);

// Checks, reading only metadata, that the checkpoint at `path` holds every
// parameter of `config` with its shape and a weight dtype; throws InputError
// naming the file and the first mismatching tensor.
void requireCheckpointMatches(const std::filesystem::path& path, const format::BertConfig& config);

// Builds the model of `config` and loads the checkpoint of `step`, after the
// checks above. Warns on stderr (naming the tensor and the step) when a
// loaded tensor holds NaN or infinite values.
std::unique_ptr<BertForMaskedLM> loadSeriesModel(const std::filesystem::path& series,
                                                 const format::BertConfig& config, int64_t step);

} // namespace chrysalis::engine
