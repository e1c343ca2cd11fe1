#include "data/onset_intervals.h"

#include "data/job_queue.h"
#include "data/run_items.h"

#include <optional>

namespace chrysalis::ui {
namespace {

// One tag per run or group: a newer computation supersedes the older.
QString jobTag(const QString& key) {
  return QStringLiteral("intervals:") + key;
}

QString groupKey(const QVector<const RunData*>& seeds) {
  QStringList dirs;
  for (const RunData* r : seeds)
    dirs << r->dir;
  return dirs.join(QLatin1Char('\n'));
}

// Why a group gets no interval, or empty when its seeds share a probe set.
QString probeSetMismatch(const QVector<const RunData*>& seeds) {
  for (const QString& kind : {QStringLiteral("uas"), QStringLiteral("blimp")}) {
    const ProbeSeries* first = seeds.first()->probe(kind);
    for (const RunData* r : seeds) {
      const ProbeSeries* p = r->probe(kind);
      if ((p ? p->hash : QString()) != (first ? first->hash : QString()))
        return QStringLiteral("the seeds' %1 results come from different probe sets (%2 in %3, %4 "
                              "in %5), so no interval")
            .arg(kind, first ? first->hash : QStringLiteral("none"), seeds.first()->label,
                 p ? p->hash : QStringLiteral("none"), r->label);
    }
  }
  return {};
}

} // namespace

/// One run or one seed group.
struct OnsetIntervals::Target {
  QStringList dirs;
  QString refusal; ///< why a group gets no interval (seeds on different probe sets)
  OnsetSettings wanted;
  QString computing, computed; ///< settings and item counts of the job in flight / the result
  std::optional<RunOnsets> result;
  QString resultSettings;
};

OnsetIntervals::OnsetIntervals(RunItemsReader& items, JobQueue& queue, BootstrapSettings bootstrap,
                               QObject* parent)
    : QObject(parent), m_items(items), m_queue(queue), m_bootstrap(bootstrap) {
  connect(&m_items, &RunItemsReader::read, this, [this](const QString& dir) {
    for (auto it = m_targets.cbegin(); it != m_targets.cend(); ++it)
      if ((*it)->dirs.contains(dir)) compute(it.key());
  });
}

OnsetIntervals::~OnsetIntervals() {
  for (auto it = m_targets.cbegin(); it != m_targets.cend(); ++it)
    m_queue.cancel(jobTag(it.key())); // a running bootstrap sees cancelled() and stops
}

void OnsetIntervals::request(const RunData& run, const OnsetSettings& settings) {
  if (!run.probe(QStringLiteral("uas")) || run.dir.isEmpty()) return;
  want(run.dir, {run.dir}, settings);
  m_items.want(run, true);
  compute(run.dir);
}

void OnsetIntervals::requestGroup(const QVector<const RunData*>& seeds,
                                  const OnsetSettings& settings) {
  if (seeds.isEmpty() || !seeds.first()->probe(QStringLiteral("uas"))) return;
  const QString key = groupKey(seeds);
  want(key, key.split(QLatin1Char('\n')), settings);
  Target& t = *m_targets[key];
  t.refusal = probeSetMismatch(seeds);
  if (!t.refusal.isEmpty()) {
    m_queue.cancel(jobTag(key)); // a computation in flight is for the seeds as they were
    t.computing.clear();
    t.computed.clear();
    t.result = RunOnsets{};
    t.result->problem = t.refusal;
    t.resultSettings = onsetSettingsKey(settings);
    return;
  }
  for (const RunData* seed : seeds)
    m_items.want(*seed, true);
  compute(key);
}

void OnsetIntervals::want(const QString& key, const QStringList& dirs,
                          const OnsetSettings& settings) {
  auto& slot = m_targets[key];
  if (!slot) {
    slot = std::make_shared<Target>();
    slot->dirs = dirs;
  }
  slot->wanted = settings;
}

void OnsetIntervals::compute(const QString& key) {
  const std::shared_ptr<Target> target = m_targets.value(key);
  if (!target) return;
  Target& t = *target;
  if (!t.refusal.isEmpty()) return;
  QVector<ItemTable> uas, blimp;
  QString counts;
  for (const QString& dir : std::as_const(t.dirs)) {
    const RunItems* items = m_items.items(dir, true);
    if (!items || items->uasItemsMissing) return; // still reading, or probed before items existed
    uas << items->uas;
    if (!items->blimpItemsMissing) blimp << items->blimp;
    counts += QStringLiteral("|%1|%2").arg(items->uas.rows.size()).arg(items->blimp.rows.size());
  }
  const QString computeKey = onsetSettingsKey(t.wanted) + counts;
  if (computeKey == t.computing || computeKey == t.computed) return;
  t.computing = computeKey;
  const OnsetSettings settings = t.wanted;
  const BootstrapSettings bootstrap = m_bootstrap;
  std::weak_ptr<Target> weak = target;
  // Delivered on the GUI thread, for the newest job of this tag only, and
  // only while this object lives (the queue checks the context).
  auto land = [this, weak, key, computeKey, settings](RunOnsets result) {
    const auto current = weak.lock();
    if (!current || m_targets.value(key) != current) return;
    current->computing.clear();
    current->computed = computeKey;
    current->result = std::move(result);
    current->resultSettings = onsetSettingsKey(settings);
    Q_EMIT updated(key);
  };
  // The tables are implicitly shared copies, read-only on the compute lane.
  m_queue.post(
      jobTag(key), this,
      [uas, blimp, settings, bootstrap](const std::function<bool()>& cancelled) {
        return bootstrapSeedGroupOnsets(uas, blimp, settings, bootstrap, cancelled);
      },
      land,
      [land](const QString& message) {
        RunOnsets failed;
        failed.problem = message;
        land(failed);
      },
      JobQueue::Lane::Compute);
}

const RunOnsets* OnsetIntervals::result(const QString& dir, const OnsetSettings& settings) const {
  const auto it = m_targets.constFind(dir);
  if (it == m_targets.cend() || !(*it)->result ||
      (*it)->resultSettings != onsetSettingsKey(settings))
    return nullptr;
  return &*(*it)->result;
}

const RunOnsets* OnsetIntervals::groupResult(const QVector<const RunData*>& seeds,
                                             const OnsetSettings& settings) const {
  return result(groupKey(seeds), settings);
}

void OnsetIntervals::forget(const QString& dir) {
  for (auto it = m_targets.begin(); it != m_targets.end();)
    if ((*it)->dirs.contains(dir)) {
      m_queue.cancel(jobTag(it.key()));
      it = m_targets.erase(it);
    } else {
      ++it;
    }
}

RunOnsets readRunIntervals(const RunData& run, const OnsetSettings& settings,
                           const BootstrapSettings& bootstrap) {
  const RunItems items = readRunItems(run, true);
  if (items.uasItemsMissing) return {};
  return bootstrapRunOnsets(items.uas, items.blimpItemsMissing ? ItemTable{} : items.blimp,
                            settings, bootstrap);
}

} // namespace chrysalis::ui
