#pragma once
// Probe results live apart from the weights, under SERIES/probes/<hash>/, one
// HDF5 file per checkpoint step, keyed by a hash of the probe configuration:
//   probes/<hash>/config.json          the configuration the hash names
//   probes/<hash>/step-NNNNNNNNNN.h5   results for one step (atomic, whole)
// Each result is its own file published by rename, so two processes writing
// different results never touch the same file, and two writing the same
// result leave one complete copy. Re-probing never rewrites a checkpoint.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace chrysalis::format {

inline constexpr const char* kProbeDir = "probes";

struct NumericArray {
  std::vector<int64_t> shape;
  std::vector<double> values; // row-major; NaN marks "not defined"
};

struct ProbeResult {
  int64_t step = 0;
  std::map<std::string, double> scalars;                   // e.g. "uas", "loss", "blimp/overall"
  std::map<std::string, NumericArray> arrays;              // e.g. "uas/accuracy" [L,H,2,R]
  std::map<std::string, std::vector<std::string>> strings; // e.g. "uas/relations"
  // Provenance, filled in by the store on write and read back on read.
  std::string configHash;
  std::string probeSetHash;
  std::string appVersion;
  double createdUnix = 0.0;
};

// 16 hex digits (FNV-1a 64) of the canonical JSON dump (keys sorted).
std::string probeConfigHash(const nlohmann::json& config);

class ProbeStore {
public:
  explicit ProbeStore(std::filesystem::path seriesDir);

  // Records the configuration (once) and returns its hash.
  std::string ensureConfig(const nlohmann::json& config) const;
  // Every configuration with results in this series: hash -> config.
  std::map<std::string, nlohmann::json> configs() const;
  // Steps with results for a configuration; reads only file names.
  std::vector<int64_t> steps(const std::string& hash) const;
  bool has(const std::string& hash, int64_t step) const;

  // Publishes one step's result atomically; sets provenance fields.
  void write(const std::string& hash, const ProbeResult& result) const;
  ProbeResult read(const std::string& hash, int64_t step) const;

  std::filesystem::path resultPath(const std::string& hash, int64_t step) const;

private:
  std::filesystem::path m_dir;
};

} // namespace chrysalis::format
