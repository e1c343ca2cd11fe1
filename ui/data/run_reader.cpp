#include "data/run_reader.h"

#include "common/error.h"
#include "data/seed_group_key.h"
#include "format/h5.h"
#include "format/probe_store.h"
#include "format/series.h"
#include "format/train_log.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace chrysalis::ui {
namespace {

// Probe result layout, series-format.md §3.
const char* const kScalarGroup = "/scalars";

struct ScalarRow {
  double createdUnix = 0.0;
  QMap<QString, double> values;
};

// Only the root and /scalars attributes: opening a run must not pull the
// arrays (StepArrays are loaded on demand).
ScalarRow readScalars(const std::filesystem::path& path, qint64 step) {
  h5::File f = h5::openRead(path);
  if (h5::readAttrInt(f, "/", "step") != step)
    throw InputError(f.path, "attribute 'step'", "does not match the file name");
  ScalarRow row;
  if (h5::hasAttr(f, "/", "created_unix"))
    row.createdUnix = h5::readAttrDouble(f, "/", "created_unix");
  if (h5::exists(f, kScalarGroup))
    for (const auto& name : h5::listAttrs(f, kScalarGroup))
      row.values.insert(QString::fromStdString(name), h5::readAttrDouble(f, kScalarGroup, name));
  return row;
}

CheckpointRow toRow(const format::CheckpointInfo& c) {
  CheckpointRow r;
  r.step = c.step;
  r.tokensSeen = c.tokensSeen;
  r.wallTime = c.wallTime;
  r.learningRate = c.learningRate;
  r.trainLoss = c.trainLoss.value_or(kMissing);
  r.hasWeights = c.hasWeights;
  return r;
}

QString kindOf(const nlohmann::json& config) {
  auto it = config.find("probe");
  if (it != config.end() && it->is_string()) return QString::fromStdString(it->get<std::string>());
  return QStringLiteral("unknown");
}

ProbeSeries readProbeSeries(const format::ProbeStore& store, const std::string& hash,
                            const nlohmann::json& config, const ProbeSeries* previous,
                            QStringList& problems, const CancelCheck& cancelled) {
  ProbeSeries out;
  out.hash = QString::fromStdString(hash);
  out.kind = kindOf(config);
  out.configJson = QString::fromStdString(config.dump());
  QMap<qint64, ScalarRow> rows;
  for (int64_t step : store.steps(hash)) {
    if (cancelled && cancelled()) break;
    if (previous && previous->hasStep(step)) {
      // Published results never change, so the earlier read is still exact.
      const qint64 i = std::lower_bound(previous->steps.cbegin(), previous->steps.cend(), step) -
                       previous->steps.cbegin();
      ScalarRow row;
      for (auto it = previous->scalars.cbegin(); it != previous->scalars.cend(); ++it)
        if (!std::isnan(it.value()[i])) row.values.insert(it.key(), it.value()[i]);
      for (auto it = previous->nonFinite.cbegin(); it != previous->nonFinite.cend(); ++it)
        if (it.value().contains(step))
          row.values.insert(it.key(), std::numeric_limits<double>::quiet_NaN());
      rows.insert(step, row);
      continue;
    }
    try {
      rows.insert(step, readScalars(store.resultPath(hash, step), step));
    } catch (const std::exception& e) {
      problems << QString::fromStdString(e.what());
    }
  }
  if (previous) out.createdUnix = previous->createdUnix;
  QStringList names;
  for (const auto& row : rows) {
    out.createdUnix = std::max(out.createdUnix, row.createdUnix);
    for (auto it = row.values.cbegin(); it != row.values.cend(); ++it)
      if (!names.contains(it.key())) names << it.key();
  }
  for (auto it = rows.cbegin(); it != rows.cend(); ++it)
    out.steps << it.key();
  for (const auto& name : names) {
    QVector<double> column;
    column.reserve(rows.size());
    QVector<qint64> nonFinite;
    for (auto it = rows.cbegin(); it != rows.cend(); ++it) {
      const auto value = it->values.constFind(name);
      if (value != it->values.cend() && !std::isfinite(*value)) {
        nonFinite << it.key(); // stored, but NaN or infinite: a mark, not a point
        column << kMissing;
      } else {
        column << it->values.value(name, kMissing);
      }
    }
    out.scalars.insert(name, column);
    if (!nonFinite.isEmpty()) out.nonFinite.insert(name, nonFinite);
  }
  return out;
}

} // namespace

RunData readRun(const QString& dir, const RunData* previous, const CancelCheck& cancelled) {
  const QString canonical = QFileInfo(dir).canonicalFilePath();
  if (canonical.isEmpty() || !QFileInfo(canonical).isDir())
    throw InputError(dir.toStdString(), "", "no such folder");
  const std::filesystem::path path = canonical.toStdString();

  RunData run;
  run.dir = canonical;
  format::SeriesListing listing = format::listSeries(path);
  run.label = QString::fromStdString(listing.meta.label);
  if (run.label.isEmpty()) run.label = QDir(canonical).dirName();
  run.layers = static_cast<int>(listing.meta.model.numHiddenLayers);
  run.heads = static_cast<int>(listing.meta.model.numAttentionHeads);
  run.seedGroupKey = seedGroupKey(listing.meta.training, listing.meta.model.toJson());
  for (const auto& c : listing.checkpoints)
    run.checkpoints << toRow(c);
  for (const auto& p : listing.problems)
    run.problems << QString::fromStdString(p);
  try {
    if (auto log = format::readTrainLog(path)) {
      auto loss = log->columns.find("train_loss");
      if (loss != log->columns.end()) {
        run.trainLog.steps = QVector<qint64>(log->step.begin(), log->step.end());
        run.trainLog.values = QVector<double>(loss->second.begin(), loss->second.end());
      }
    }
  } catch (const InputError& e) {
    run.problems << QString::fromStdString(e.what()); // the checkpoints and probes still show
  }

  format::ProbeStore store(path);
  for (const auto& [hash, config] : store.configs()) {
    if (cancelled && cancelled()) return run;
    const QString qhash = QString::fromStdString(hash);
    const ProbeSeries* before = nullptr;
    if (previous && previous->dir == canonical) {
      auto it = previous->configs.constFind(qhash);
      if (it != previous->configs.constEnd()) before = &*it;
    }
    ProbeSeries series = readProbeSeries(store, hash, config, before, run.problems, cancelled);
    if (series.steps.isEmpty()) continue;
    run.configs.insert(qhash, series);
  }
  // probes.md: when several configurations of one kind exist, the newest wins;
  // for ablation the one with most steps (a timeline, not the single points
  // "Ablate at Cursor" leaves for other heads), then the newest.
  for (auto it = run.configs.cbegin(); it != run.configs.cend(); ++it) {
    const QString current = run.kindHash.value(it->kind);
    if (current.isEmpty()) {
      run.kindHash.insert(it->kind, it.key());
      continue;
    }
    const ProbeSeries& shown = *run.configs.constFind(current);
    const bool byCount = it->kind == QLatin1String("ablation");
    const bool more = byCount && it->steps.size() > shown.steps.size();
    const bool fewer = byCount && it->steps.size() < shown.steps.size();
    if (more || (!fewer && shown.createdUnix < it->createdUnix))
      run.kindHash.insert(it->kind, it.key());
  }
  return run;
}

StepArrays readStepArrays(const ArrayKey& key) {
  format::ProbeStore store(key.dir.toStdString());
  format::ProbeResult result = store.read(key.hash.toStdString(), key.step);
  StepArrays out;
  out.step = result.step;
  for (const auto& [name, array] : result.arrays) {
    ArrayValue v;
    v.shape = QVector<qint64>(array.shape.begin(), array.shape.end());
    v.values = QVector<double>(array.values.begin(), array.values.end());
    out.arrays.insert(QString::fromStdString(name), v);
  }
  for (const auto& [name, list] : result.strings) {
    QStringList l;
    for (const auto& s : list)
      l << QString::fromStdString(s);
    out.strings.insert(QString::fromStdString(name), l);
  }
  return out;
}

} // namespace chrysalis::ui
