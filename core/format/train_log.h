#pragma once
// The dense training log of a series: one row per logged training step
// (docs/series-format.md §4). `train_log.h5` at the series root holds
// equal-length 1-D datasets: `step` (int64, strictly increasing) and float64
// columns (train_loss, learning_rate, mlm_loss, reg_loss, grad_norm, or any
// other a writer adds), NaN where a row does not know a value. Written whole
// and published atomically like every series file.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace chrysalis::format {

inline constexpr const char* kTrainLogFile = "train_log.h5";

struct TrainLog {
  std::string source; // who wrote it ("chrysalis-cli train", "trainer_state.json log_history")
  std::vector<int64_t> step;
  std::map<std::string, std::vector<double>> columns; // each as long as `step`

  size_t size() const { return step.size(); }
  bool empty() const { return step.empty(); }
  // Appends a row; columns not named in `values` get NaN. Steps must increase.
  void append(int64_t step, const std::map<std::string, double>& values);
  // Drops rows after `step` (a resumed run rewrites what came after).
  void truncateAfter(int64_t step);
  // The well-known columns first, then the rest by name.
  std::vector<std::string> columnOrder() const;
};

// nullopt when the series has no train_log.h5. Throws InputError naming the
// file for a malformed one (unequal lengths, steps not increasing, more than
// kMaxTrainLogRows rows, a non-numeric column).
inline constexpr size_t kMaxTrainLogRows = 50'000'000;
std::optional<TrainLog> readTrainLog(const std::filesystem::path& seriesDir);
void writeTrainLog(const std::filesystem::path& seriesDir, const TrainLog& log);

} // namespace chrysalis::format
