#include "data/onset_intervals.h"

#include "data/run_items.h"

#include <atomic>
#include <optional>

namespace chrysalis::ui {
namespace {

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
  std::shared_ptr<std::atomic<quint64>> generation = std::make_shared<std::atomic<quint64>>(0);
};

OnsetIntervals::OnsetIntervals(RunItemsReader& items, BootstrapSettings bootstrap, QObject* parent)
    : QObject(parent), m_items(items), m_bootstrap(bootstrap),
      m_worker(std::make_unique<WorkerThread>("chrysalis-boot")) {
  connect(&m_items, &RunItemsReader::read, this, [this](const QString& dir) {
    for (auto it = m_targets.cbegin(); it != m_targets.cend(); ++it)
      if ((*it)->dirs.contains(dir)) compute(it.key());
  });
}

OnsetIntervals::~OnsetIntervals() {
  for (const auto& t : std::as_const(m_targets))
    ++*t->generation;
  m_worker.reset(); // waits for the running bootstrap, which sees cancelled()
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
    ++*t.generation; // a computation in flight is for the seeds as they were
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
  const quint64 id = ++*t.generation;
  auto generation = t.generation;
  const OnsetSettings settings = t.wanted;
  const BootstrapSettings bootstrap = m_bootstrap;
  std::weak_ptr<Target> weak = target;
  // The tables are implicitly shared copies, read-only on the worker.
  m_worker->post([this, weak, key, computeKey, id, generation, uas, blimp, settings, bootstrap] {
    const auto cancelled = [generation, id] { return generation->load() != id; };
    RunOnsets result;
    try {
      result = bootstrapSeedGroupOnsets(uas, blimp, settings, bootstrap, cancelled);
    } catch (const std::exception& e) {
      result.problem = QString::fromStdString(e.what());
    }
    if (cancelled()) return;
    // To the GUI thread; the destructor cancels and joins this task first,
    // so `this` is alive while the result is posted.
    m_results.post([this, weak, key, computeKey, settings, result, cancelled] {
      const auto current = weak.lock();
      if (!current || m_targets.value(key) != current || cancelled()) return;
      current->computing.clear();
      current->computed = computeKey;
      current->result = result;
      current->resultSettings = onsetSettingsKey(settings);
      Q_EMIT updated(key);
    });
  });
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
      ++*(*it)->generation;
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
