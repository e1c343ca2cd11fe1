#pragma once
// A series is one training run: a folder with series.json (metadata),
// vocab.txt and checkpoints/step-NNNNNNNNNN.h5, plus probes/ (probe_store.h).
// The full layout is specified in docs/series-format.md.
#include "format/bert_config.h"
#include "format/checkpoint_file.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace chrysalis::format {

inline constexpr const char* kSeriesFile = "series.json";
inline constexpr const char* kCheckpointDir = "checkpoints";

struct SeriesMeta {
  int64_t formatVersion = kFormatVersion;
  std::string label;
  BertConfig model;
  std::string vocabFile = "vocab.txt";
  bool doLowerCase = true;
  // false for a series imported from BertModel checkpoints: its files hold
  // no cls.predictions.* tensors, so MLM loss and BLiMP cannot be computed.
  bool hasMlmHead = true;
  nlohmann::json training;   // the training configuration (null when unknown)
  nlohmann::json provenance; // how the series came to be (importer, command line, ...)

  static SeriesMeta fromJson(const nlohmann::json& j, const std::string& file);
  nlohmann::json toJson() const;
};

struct SeriesListing {
  std::filesystem::path dir;
  SeriesMeta meta;
  std::vector<CheckpointInfo> checkpoints; // ascending by step
  // One "FILE: reason" line per checkpoint file that could not be read; the
  // rest of the series still lists.
  std::vector<std::string> problems;

  const CheckpointInfo* find(int64_t step) const;
};

// Reads series.json (bounded size). Throws InputError naming the file.
SeriesMeta readSeriesMeta(const std::filesystem::path& dir);
// Lists metadata and every checkpoint's known attributes (and, with
// ReadExtras::Yes, its other numeric ones); reads no tensors.
SeriesListing listSeries(const std::filesystem::path& dir, ReadExtras extras = ReadExtras::No);
// Creates a new series folder with its metadata and vocabulary. Throws if a
// series already exists there.
void createSeries(const std::filesystem::path& dir, const SeriesMeta& meta,
                  const std::string& vocabContents);
// Rewrites series.json atomically (e.g. to update the training record).
void writeSeriesMeta(const std::filesystem::path& dir, const SeriesMeta& meta);

std::filesystem::path checkpointPath(const std::filesystem::path& dir, int64_t step);
std::filesystem::path vocabPath(const std::filesystem::path& dir, const SeriesMeta& meta);

} // namespace chrysalis::format
