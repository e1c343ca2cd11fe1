#include "train/densify.h"

#include "common/error.h"
#include "format/checkpoint_file.h"
#include "format/series.h"
#include "train/run_lock.h"
#include "train/train_config.h"
#include "train/train_state.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <vector>

namespace chrysalis::train {

namespace fs = std::filesystem;

namespace {

constexpr const char* kWorkDir = ".densify-work";

double nowUnix() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A hard link where the file system allows it (states are large), else a copy.
void linkOrCopy(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::create_hard_link(from, to, ec);
  if (ec) fs::copy_file(from, to, fs::copy_options::overwrite_existing);
}

} // namespace

bool sameWeightBytes(const fs::path& a, const fs::path& b) {
  format::CheckpointReader ra(a), rb(b);
  auto ta = ra.tensors(), tb = rb.tensors();
  if (ta.size() != tb.size()) return false;
  std::vector<char> x, y;
  for (const auto& e : ta) {
    if (!rb.hasTensor(e.name)) return false;
    const auto f = rb.tensor(e.name);
    if (f.shape != e.shape || f.dtype != e.dtype || f.byteSize() != e.byteSize()) return false;
    x.resize(e.byteSize());
    y.resize(f.byteSize());
    ra.read(e, x.data(), x.size());
    rb.read(f, y.data(), y.size());
    if (std::memcmp(x.data(), y.data(), x.size()) != 0) return false;
  }
  return true;
}

Densifier::Densifier(const DensifyRequest& r) : m_request(r), m_startedUnix(nowUnix()) {
  auto meta = format::readSeriesMeta(r.series);
  const std::string metaFile = (r.series / format::kSeriesFile).string();
  if (meta.training.is_null())
    throw InputError(metaFile, "training",
                     "not written by chrysalis train: only a run trained here can be re-run");
  const TrainConfig config = TrainConfig::fromJson(meta.training, metaFile);
  if (r.every < 1) throw InputError("command line", "--every", "must be at least 1");
  if (r.from < 0 || r.to <= r.from || r.to > config.steps)
    throw InputError("command line", "--from/--to",
                     "need 0 <= from < to <= " + std::to_string(config.steps) +
                         " (the run's last step)");
  if ((r.to - r.from) / r.every > 100000)
    throw InputError("command line", "--every", "more than 100,000 checkpoints asked for");
  // A run stopped early has no checkpoints past where it got: that is training on, not densifying.
  const auto listing = format::listSeries(r.series);
  const int64_t reached = listing.checkpoints.empty() ? 0 : listing.checkpoints.back().step;
  if (r.to > reached)
    throw InputError("command line", "--to",
                     "the series' last checkpoint is step " + std::to_string(reached) +
                         " (train --resume goes further)");
  m_lock = std::make_unique<RunLock>(r.series); // no trainer may write the series meanwhile

  // Resume from the newest kept state at or before S1 (step 0 needs none).
  for (int64_t s : completeStateSteps(r.series))
    if (s <= r.from) m_report.resumedFrom = s;
  for (int64_t s = r.from; s < r.to; s += r.every)
    m_planned.push_back(s);
  m_planned.push_back(r.to);

  // The work folder: the series' record with the end at S2 (the horizon kept,
  // so the learning rate follows the original schedule) and checkpoints at
  // the planned steps, its vocabulary and the one resume state.
  m_work = r.series / kWorkDir;
  fs::remove_all(m_work); // a killed densify's leftovers (we hold the lock)
  try {
    prepareWork(meta, config);
  } catch (...) {
    std::error_code ec;
    fs::remove_all(m_work, ec); // a resume that fails (changed data) leaves nothing behind
    throw;
  }
}

void Densifier::prepareWork(const format::SeriesMeta& meta, const TrainConfig& config) {
  const DensifyRequest& r = m_request;
  fs::create_directories(m_work / kStateDir);
  fs::create_directories(m_work / format::kCheckpointDir);
  auto workMeta = meta;
  auto& t = workMeta.training;
  t["steps"] = r.to;
  t["horizon"] = config.horizonSteps();
  t["checkpoint_every"] = 0;
  t["checkpoint_steps"] = m_planned;
  t["keep_states"] = 1;
  t["keep_states_at"] = "";
  format::writeSeriesMeta(m_work, workMeta);
  linkOrCopy(format::vocabPath(r.series, meta), format::vocabPath(m_work, meta));
  if (fs::exists(stateJsonPath(r.series, m_report.resumedFrom))) {
    linkOrCopy(stateTensorPath(r.series, m_report.resumedFrom),
               stateTensorPath(m_work, m_report.resumedFrom));
    linkOrCopy(stateJsonPath(r.series, m_report.resumedFrom),
               stateJsonPath(m_work, m_report.resumedFrom));
  }
  ResumeOptions ro;
  ro.threads = r.threads;
  m_trainer = Trainer::resume(m_work, ro);
}

Densifier::~Densifier() {
  m_trainer.reset();
  std::error_code ec;
  fs::remove_all(m_work, ec);
}

TrainerCallbacks Densifier::callbacks(TrainerCallbacks inner) {
  TrainerCallbacks c;
  c.onStep = inner.onStep;
  c.onCheckpoint = [this, inner](const CheckpointEvent& e) {
    adopt(e.step, e.path);
    if (inner.onCheckpoint)
      inner.onCheckpoint({e.step, format::checkpointPath(m_request.series, e.step)});
  };
  return c;
}

void Densifier::adopt(int64_t step, const fs::path& file) {
  if (step < m_request.from || step > m_request.to) return; // the resume point, rewritten
  const fs::path target = format::checkpointPath(m_request.series, step);
  if (fs::exists(target)) {
    (sameWeightBytes(file, target) ? m_report.matched : m_report.differed).push_back(step);
  } else {
    fs::rename(file, target); // one file system: atomic, the checkpoint appears whole
    m_report.added.push_back(step);
  }
  recordProvenance(); // after every checkpoint: a stop keeps an accurate record
}

void Densifier::recordProvenance() const {
  auto meta = format::readSeriesMeta(m_request.series);
  auto& list = meta.provenance["densified"];
  if (!list.is_array()) list = nlohmann::json::array();
  const nlohmann::json entry{
      {"from", m_request.from},        {"to", m_request.to},
      {"every", m_request.every},      {"resumed_from", m_report.resumedFrom},
      {"added", m_report.added},       {"matched", m_report.matched},
      {"differed", m_report.differed}, {"command_line", m_request.commandLine},
      {"unix_time", m_startedUnix}};
  // One entry per densify: replaced as it progresses.
  if (!list.empty() && list.back().value("unix_time", 0.0) == m_startedUnix)
    list.back() = entry;
  else
    list.push_back(entry);
  format::writeSeriesMeta(m_request.series, meta);
}

} // namespace chrysalis::train
