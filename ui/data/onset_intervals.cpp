#include "data/onset_intervals.h"

#include "data/job_queue.h"
#include "data/run_reader.h"

#include <atomic>
#include <optional>

namespace chrysalis::ui {
namespace {

constexpr int kStepsPerJob = 8;

QString settingsKey(const OnsetSettings& s) {
  return QStringLiteral("%1/%2").arg(static_cast<int>(s.detector)).arg(s.plateauFraction);
}

struct StepItems {
  bool uas = true; ///< which metric
  qint64 step = 0;
  bool ok = false;
  QVector<double> row, weights;
};

} // namespace

struct OnsetIntervals::State {
  QString dir, uasHash, blimpHash;
  ItemTable uas, blimp;
  QVector<qint64> todoUas, todoBlimp;                    ///< steps not read yet
  QSet<qint64> seenUas, seenBlimp;                       ///< steps read or being read
  bool uasUnavailable = false, blimpUnavailable = false; ///< results without item arrays
  bool reading = false;
  OnsetSettings wanted;
  QString computing, computed; ///< settings and item counts of the job in flight / the result
  std::optional<RunOnsets> result;
  QString resultSettings;
  std::shared_ptr<std::atomic<quint64>> generation = std::make_shared<std::atomic<quint64>>(0);
};

OnsetIntervals::OnsetIntervals(JobQueue& queue, BootstrapSettings bootstrap, QObject* parent)
    : QObject(parent), m_queue(queue), m_bootstrap(bootstrap) {
  m_pool.setMaxThreadCount(1);
}

OnsetIntervals::~OnsetIntervals() {
  for (const auto& s : std::as_const(m_runs))
    ++*s->generation;
  m_pool.waitForDone();
}

void OnsetIntervals::request(const RunData& run, const OnsetSettings& settings) {
  const ProbeSeries* uas = run.probe(QStringLiteral("uas"));
  if (!uas || run.dir.isEmpty()) return;
  const ProbeSeries* blimp = run.probe(QStringLiteral("blimp"));
  auto& slot = m_runs[run.dir];
  // Another configuration shown (a newer probe set): start over.
  if (!slot || slot->uasHash != uas->hash || slot->blimpHash != (blimp ? blimp->hash : QString())) {
    if (slot) {
      ++*slot->generation;
      m_queue.cancel(QStringLiteral("onset-intervals:") + run.dir);
    }
    slot = std::make_shared<State>();
    slot->dir = run.dir;
    slot->uasHash = uas->hash;
    slot->blimpHash = blimp ? blimp->hash : QString();
  }
  State& s = *slot;
  s.wanted = settings;
  // Results appear in any order (coarse-to-fine probing), so compare sets.
  for (qint64 step : uas->steps)
    if (!s.seenUas.contains(step)) s.seenUas.insert(step), s.todoUas << step;
  if (blimp)
    for (qint64 step : blimp->steps)
      if (!s.seenBlimp.contains(step)) s.seenBlimp.insert(step), s.todoBlimp << step;
  if (!s.reading) advance(run.dir);
}

void OnsetIntervals::advance(const QString& dir) {
  const auto it = m_runs.constFind(dir);
  if (it == m_runs.cend()) return;
  State& s = **it;
  if (s.uasUnavailable) return;
  if (!s.todoUas.isEmpty() || (!s.blimpUnavailable && !s.todoBlimp.isEmpty()))
    readChunk(dir, s);
  else
    compute(dir, s);
}

void OnsetIntervals::readChunk(const QString& dir, State& s) {
  QVector<ArrayKey> keys;
  QVector<bool> isUas;
  while (keys.size() < kStepsPerJob && !s.todoUas.isEmpty()) {
    keys << ArrayKey{dir, s.uasHash, s.todoUas.takeFirst()};
    isUas << true;
  }
  while (keys.size() < kStepsPerJob && !s.blimpUnavailable && !s.todoBlimp.isEmpty()) {
    keys << ArrayKey{dir, s.blimpHash, s.todoBlimp.takeFirst()};
    isUas << false;
  }
  s.reading = true;
  std::weak_ptr<State> weak = m_runs.value(dir);
  m_queue.post(
      QStringLiteral("onset-intervals:") + dir, this,
      [keys, isUas](const std::function<bool()>& cancelled) {
        QVector<StepItems> out;
        for (int i = 0; i < keys.size() && !cancelled(); ++i) {
          StepItems items;
          items.uas = isUas[i];
          items.step = keys[i].step;
          try {
            const StepArrays a = readStepArrays(keys[i]);
            items.ok = items.uas ? uasItems(a, &items.row, &items.weights)
                                 : blimpItems(a, &items.row, &items.weights);
          } catch (const std::exception&) {
            // A damaged or half-written file: that step has no items.
          }
          out << items;
        }
        return out;
      },
      [this, dir, weak](const QVector<StepItems>& chunk) {
        const auto state = weak.lock();
        if (!state || m_runs.value(dir) != state) return;
        state->reading = false;
        for (const StepItems& items : chunk) {
          ItemTable& table = items.uas ? state->uas : state->blimp;
          if (items.ok) table.add(items.step, items.row, items.weights);
          // The first result without items: older probes did not store them.
          else if (table.rows.isEmpty())
            (items.uas ? state->uasUnavailable : state->blimpUnavailable) = true;
        }
        advance(dir);
      },
      [this, dir, weak](const QString&) {
        if (const auto state = weak.lock(); state && m_runs.value(dir) == state)
          state->reading = false;
      });
}

void OnsetIntervals::compute(const QString& dir, State& s) {
  const QString key = settingsKey(s.wanted) +
                      QStringLiteral("|%1|%2").arg(s.uas.rows.size()).arg(s.blimp.rows.size());
  if (key == s.computing || key == s.computed) return;
  s.computing = key;
  const quint64 id = ++*s.generation;
  auto generation = s.generation;
  const ItemTable uas = s.uas, blimp = s.blimp; // implicitly shared copies, read-only on the worker
  const OnsetSettings settings = s.wanted;
  const BootstrapSettings bootstrap = m_bootstrap;
  std::weak_ptr<State> weak = m_runs.value(dir);
  m_pool.start([this, weak, dir, key, id, generation, uas, blimp, settings, bootstrap] {
    const auto cancelled = [generation, id] { return generation->load() != id; };
    RunOnsets result;
    try {
      result = bootstrapRunOnsets(uas, blimp, settings, bootstrap, cancelled);
    } catch (const std::exception& e) {
      result.problem = QString::fromStdString(e.what());
    }
    if (cancelled()) return;
    // Queued to this object; the destructor cancels and waits for this task,
    // so `this` is alive while the call is posted and Qt drops it afterwards.
    QMetaObject::invokeMethod(
        this,
        [this, weak, dir, key, settings, result, cancelled] {
          const auto state = weak.lock();
          if (!state || m_runs.value(dir) != state || cancelled()) return;
          state->computing.clear();
          state->computed = key;
          state->result = result;
          state->resultSettings = settingsKey(settings);
          Q_EMIT updated(dir);
        },
        Qt::QueuedConnection);
  });
}

const RunOnsets* OnsetIntervals::result(const QString& dir, const OnsetSettings& settings) const {
  const auto it = m_runs.constFind(dir);
  if (it == m_runs.cend() || !(*it)->result || (*it)->resultSettings != settingsKey(settings))
    return nullptr;
  return &*(*it)->result;
}

void OnsetIntervals::forget(const QString& dir) {
  if (const auto s = m_runs.take(dir)) ++*s->generation;
  m_queue.cancel(QStringLiteral("onset-intervals:") + dir);
}

} // namespace chrysalis::ui
