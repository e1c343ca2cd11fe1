#pragma once
// The timeline table of a series: one row per checkpoint step with its
// training attributes and every scalar probe result (docs/probes.md). Reads
// only attributes; used by `chrysalis-cli metrics` and the GUI.
#include "format/series.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace chrysalis::format {

struct MetricsTable {
  std::vector<int64_t> steps;
  std::vector<std::string> columns;                  // in display order
  std::map<std::string, std::vector<double>> values; // column -> one value per step (NaN = none)
  // For each probe kind, the configuration hash the values came from.
  std::map<std::string, std::string> sources;

  std::string csv() const;
};

// When several configurations of one kind exist, the one with the most steps
// is used (ties: the lexicographically smallest hash, for determinism).
MetricsTable readMetrics(const std::filesystem::path& seriesDir);

} // namespace chrysalis::format
