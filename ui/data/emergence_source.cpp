#include "data/emergence_source.h"

#include "data/job_queue.h"
#include "data/run_items.h"

namespace chrysalis::ui {
namespace {

QString settingsKey(const OnsetSettings& s) {
  return QString::number(static_cast<int>(s.detector));
}

} // namespace

EmergenceSource::EmergenceSource(RunItemsReader& items, JobQueue& queue, QObject* parent)
    : QObject(parent), m_items(items), m_queue(queue) {
  connect(&m_items, &RunItemsReader::read, this, [this](const QString& dir) {
    if (m_runs.contains(dir)) compute(dir);
  });
}

void EmergenceSource::request(const RunData& run, const OnsetSettings& settings) {
  if (!run.probe(QStringLiteral("uas")) || run.dir.isEmpty()) return;
  m_runs[run.dir].settings = settings;
  m_items.want(run, false);
  compute(run.dir);
}

void EmergenceSource::compute(const QString& dir) {
  const RunItems* items = m_items.items(dir, false);
  if (!items) return; // still reading; read() calls again
  Wanted& w = m_runs[dir];
  const QString key = settingsKey(w.settings) + QLatin1Char('|') + items->uasHash +
                      QLatin1Char('|') + QString::number(items->headBest.rows.size());
  if (key == w.computing || key == w.computed) return;
  w.computing = key;
  const HeadBestRows rows = items->headBest; // implicitly shared, read-only on the compute lane
  const OnsetSettings settings = w.settings;
  m_queue.post(
      QStringLiteral("emergence:") + dir, this,
      [rows, settings](const std::function<bool()>&) {
        return computeHeadEmergence(rows, settings);
      },
      [this, dir, key, settings](const HeadEmergenceResult& result) {
        const auto it = m_runs.find(dir);
        if (it == m_runs.end()) return;
        it->computing.clear();
        it->computed = key;
        it->result = result;
        it->resultSettings = settingsKey(settings);
        Q_EMIT updated(dir);
      },
      [this, dir](const QString&) {
        if (const auto it = m_runs.find(dir); it != m_runs.end()) it->computing.clear();
      },
      JobQueue::Lane::Compute); // CPU work on rows already read: never in the way of reads
}

const HeadEmergenceResult* EmergenceSource::result(const QString& dir,
                                                   const OnsetSettings& settings) const {
  const auto it = m_runs.constFind(dir);
  if (it == m_runs.cend() || !it->result || it->resultSettings != settingsKey(settings))
    return nullptr;
  return &*it->result;
}

void EmergenceSource::forget(const QString& dir) {
  m_runs.remove(dir);
  m_queue.cancel(QStringLiteral("emergence:") + dir);
}

HeadEmergenceResult readHeadEmergence(const RunData& run, const OnsetSettings& settings) {
  if (!run.probe(QStringLiteral("uas"))) {
    HeadEmergenceResult none;
    none.problem = QStringLiteral("no uas results");
    return none;
  }
  return computeHeadEmergence(readRunItems(run, false).headBest, settings);
}

} // namespace chrysalis::ui
