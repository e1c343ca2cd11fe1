#include "format/train_log.h"

#include "common/error.h"
#include "format/atomic_file.h"
#include "format/h5.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace fs = std::filesystem;

namespace chrysalis::format {

namespace {
const std::vector<std::string> kKnownColumns{"train_loss", "learning_rate", "mlm_loss", "reg_loss",
                                             "grad_norm"};
}

void TrainLog::append(int64_t s, const std::map<std::string, double>& values) {
  if (!step.empty() && s <= step.back())
    throw std::invalid_argument("train log: step " + std::to_string(s) + " after " +
                                std::to_string(step.back()));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const auto& [name, v] : values) {
    auto [it, added] = columns.try_emplace(name);
    if (added) it->second.assign(step.size(), nan);
    (void)v;
  }
  step.push_back(s);
  for (auto& [name, column] : columns) {
    auto it = values.find(name);
    column.push_back(it == values.end() ? nan : it->second);
  }
}

void TrainLog::truncateAfter(int64_t s) {
  const size_t keep =
      static_cast<size_t>(std::upper_bound(step.begin(), step.end(), s) - step.begin());
  step.resize(keep);
  for (auto& [name, column] : columns)
    column.resize(keep);
}

std::vector<std::string> TrainLog::columnOrder() const {
  std::vector<std::string> out;
  for (const auto& k : kKnownColumns)
    if (columns.count(k)) out.push_back(k);
  for (const auto& [k, v] : columns)
    if (std::find(kKnownColumns.begin(), kKnownColumns.end(), k) == kKnownColumns.end())
      out.push_back(k);
  return out;
}

std::optional<TrainLog> readTrainLog(const fs::path& seriesDir) {
  const fs::path path = seriesDir / kTrainLogFile;
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::nullopt;
  h5::File f = h5::openRead(path);
  const std::string file = path.string();
  TrainLog log;
  if (h5::hasAttr(f, "/", "source")) log.source = h5::readAttrString(f, "/", "source");
  if (!h5::exists(f, "step")) throw InputError(file, "step", "missing");
  auto stepInfo = h5::datasetInfo(f, "step");
  if (stepInfo.shape.size() != 1 || stepInfo.dtype != DType::I64)
    throw InputError(file, "step", "must be a 1-D int64 dataset");
  const auto n = static_cast<size_t>(stepInfo.shape[0]);
  if (n > kMaxTrainLogRows)
    throw InputError(file, "step", std::to_string(n) + " rows is more than a log may hold");
  log.step.resize(n);
  h5::readDatasetRaw(f, "step", stepInfo, log.step.data(), n * sizeof(int64_t));
  for (size_t i = 1; i < n; ++i)
    if (log.step[i] <= log.step[i - 1])
      throw InputError(file, "step[" + std::to_string(i) + "]", "steps must increase");
  for (const auto& name : h5::listGroup(f, "/")) {
    if (name == "step") continue;
    auto info = h5::datasetInfo(f, name);
    if (info.shape.size() != 1 || static_cast<size_t>(info.shape[0]) != n)
      throw InputError(file, name, "must be 1-D with one value per step");
    if (info.dtype != DType::F64 && info.dtype != DType::F32)
      throw InputError(file, name, "must be float64 or float32");
    auto& column = log.columns[name];
    column.resize(n);
    if (info.dtype == DType::F64) {
      h5::readDatasetRaw(f, name, info, column.data(), n * sizeof(double));
    } else {
      std::vector<float> narrow(n);
      h5::readDatasetRaw(f, name, info, narrow.data(), n * sizeof(float));
      std::copy(narrow.begin(), narrow.end(), column.begin());
    }
  }
  return log;
}

void writeTrainLog(const fs::path& seriesDir, const TrainLog& log) {
  if (log.empty()) return; // nothing to say; an earlier log stays as it was
  publishAtomically(seriesDir / kTrainLogFile, [&](const fs::path& temp) {
    h5::File f = h5::create(temp);
    h5::writeAttrInt(f, "/", "format_version", 1);
    if (!log.source.empty()) h5::writeAttrString(f, "/", "source", log.source);
    const std::vector<int64_t> shape{static_cast<int64_t>(log.size())};
    h5::writeDatasetRaw(f, "step", DType::I64, shape, log.step.data());
    for (const auto& [name, column] : log.columns)
      h5::writeDatasetRaw(f, name, DType::F64, shape, column.data());
    h5::flush(f);
  });
}

} // namespace chrysalis::format
