#include "train/train_state.h"

#include "common/error.h"
#include "common/json_bounded.h"
#include "format/atomic_file.h"
#include "format/checkpoint_file.h"
#include "format/series.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace fs = std::filesystem;

namespace chrysalis::train {

namespace {
std::string stem(int64_t step) {
  auto name = format::checkpointFileName(step); // step-NNNNNNNNNN.h5
  return name.substr(0, name.size() - 3);
}
} // namespace

fs::path stateJsonPath(const fs::path& series, int64_t step) {
  return series / kStateDir / (stem(step) + ".json");
}
fs::path stateTensorPath(const fs::path& series, int64_t step) {
  return series / kStateDir / (stem(step) + ".pt");
}

void writeStateJson(const fs::path& series, const TrainState& s) {
  nlohmann::json j{{"format", "chrysalis-train-state"},
                   {"format_version", 1},
                   {"step", s.step},
                   {"tokens_seen", s.tokensSeen},
                   {"wall_time", s.wallTime},
                   {"epoch", s.epoch},
                   {"position", s.position},
                   {"next_micro_batch", s.nextMicroBatch},
                   {"seed", s.seed},
                   {"world_size", s.worldSize},
                   {"tensors", stateTensorPath(series, s.step).filename().string()}};
  format::writeFileAtomically(stateJsonPath(series, s.step), j.dump(2) + "\n");
}

TrainState readStateJson(const fs::path& file) {
  auto j = parseJsonBounded(format::readSmallFile(file, 1 << 20), file.string());
  if (!j.is_object() || j.value("format", "") != "chrysalis-train-state")
    throw InputError(file.string(), "", "not a Chrysalis training state");
  TrainState s;
  try {
    s.step = j.at("step").get<int64_t>();
    s.tokensSeen = j.at("tokens_seen").get<int64_t>();
    s.wallTime = j.at("wall_time").get<double>();
    s.epoch = j.at("epoch").get<int64_t>();
    s.position = j.at("position").get<int64_t>();
    s.nextMicroBatch = j.at("next_micro_batch").get<int64_t>();
    s.seed = j.at("seed").get<uint64_t>();
    s.worldSize = j.at("world_size").get<int>();
  } catch (const nlohmann::json::exception& e) {
    throw InputError(file.string(), "", std::string("bad training state: ") + e.what());
  }
  return s;
}

std::vector<int64_t> completeStateSteps(const fs::path& series) {
  std::vector<int64_t> steps;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(series / kStateDir, ec)) {
    const auto name = e.path().filename().string();
    if (format::isTemporaryName(e.path()) || e.path().extension() != ".json") continue;
    auto step = format::stepFromFileName(e.path().stem().string() + ".h5");
    if (step && fs::exists(stateTensorPath(series, *step))) steps.push_back(*step);
  }
  std::sort(steps.begin(), steps.end());
  return steps;
}

void pruneStates(const fs::path& series, int64_t keep, const std::vector<int64_t>& alsoKeep) {
  auto steps = completeStateSteps(series);
  std::error_code ec;
  for (size_t i = 0; i + static_cast<size_t>(keep) < steps.size(); ++i) {
    if (std::find(alsoKeep.begin(), alsoKeep.end(), steps[i]) != alsoKeep.end()) continue;
    fs::remove(stateJsonPath(series, steps[i]), ec);
    fs::remove(stateTensorPath(series, steps[i]), ec);
  }
}

void removeStaleTemporaries(const fs::path& series) {
  std::error_code ec;
  std::vector<fs::path> doomed;
  for (const auto& dir : {series / kStateDir, series / format::kCheckpointDir})
    for (const auto& e : fs::directory_iterator(dir, ec))
      if (format::isTemporaryName(e.path())) doomed.push_back(e.path());
  // A .pt whose .json never appeared is an incomplete state.
  for (const auto& e : fs::directory_iterator(series / kStateDir, ec)) {
    if (e.path().extension() != ".pt" || format::isTemporaryName(e.path())) continue;
    auto json = e.path();
    json.replace_extension(".json");
    if (!fs::exists(json)) doomed.push_back(e.path());
  }
  for (const auto& p : doomed)
    fs::remove(p, ec);
}

void abortPointForTests(int64_t step, const char* phase) {
  static const char* spec = std::getenv("CHRYSALIS_TEST_ABORT_AT");
  if (!spec) return;
  const char* colon = std::strchr(spec, ':');
  if (!colon || std::strtoll(spec, nullptr, 10) != step || std::strcmp(colon + 1, phase) != 0)
    return;
  ::_exit(86);
}

} // namespace chrysalis::train
