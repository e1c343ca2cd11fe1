#include "data/run_items.h"

#include "data/job_queue.h"
#include "data/run_reader.h"

#include <QSet>

namespace chrysalis::ui {
namespace {

constexpr int kStepsPerJob = 8;

void mergeTable(ItemTable& into, bool& missing, const ItemTable& from, bool fromMissing) {
  if (into.rows.isEmpty() && fromMissing) missing = true;
  for (auto it = from.rows.cbegin(); it != from.rows.cend(); ++it)
    into.add(it.key(), *it, from.weights);
}

} // namespace

RunItemsChunk readRunSteps(const QString& dir, const QString& uasHash, const QString& blimpHash,
                           const QVector<RunStepKey>& keys, const std::function<bool()>& cancelled,
                           const std::function<bool()>& yield) {
  RunItemsChunk out;
  for (qsizetype i = 0; i < keys.size(); ++i) {
    // Checked after each result, so a job always makes progress.
    if (i > 0 && ((cancelled && cancelled()) || (yield && yield()))) {
      out.unread = keys.mid(i);
      break;
    }
    const RunStepKey& k = keys[i];
    try {
      out.items.add(k.uas, readStepArrays({dir, k.uas ? uasHash : blimpHash, k.step}));
    } catch (const std::exception&) {
    }
  }
  return out;
}

void RunItems::add(bool isUas, const StepArrays& arrays) {
  QVector<double> row, weights;
  if (isUas) {
    headBest.add(arrays);
    if (uasItems(arrays, &row, &weights))
      uas.add(arrays.step, row, weights);
    else if (uas.rows.isEmpty()) // the first result without items: older probes did not store them
      uasItemsMissing = true;
    return;
  }
  if (blimpItems(arrays, &row, &weights))
    blimp.add(arrays.step, row, weights);
  else if (blimp.rows.isEmpty())
    blimpItemsMissing = true;
}

struct RunItemsReader::State {
  RunItems items;
  bool blimpWanted = false;
  QVector<qint64> todoUas, todoBlimp;                             ///< steps not read yet
  QSet<qint64> seenUas, seenBlimp;                                ///< steps read or being read
  bool reading = false, readingUas = false, readingBlimp = false; ///< the chunk in flight

  // BLiMP items are useless without UAS items or once known to be missing.
  bool blimpReadable() const { return !items.uasItemsMissing && !items.blimpItemsMissing; }
  bool uasDone() const { return todoUas.isEmpty() && !readingUas; }
  bool blimpDone() const {
    return blimpWanted && !readingBlimp && (todoBlimp.isEmpty() || !blimpReadable());
  }
};

RunItemsReader::RunItemsReader(JobQueue& queue, QObject* parent)
    : QObject(parent), m_queue(queue) {}

const RunItems* RunItemsReader::want(const RunData& run, bool blimp) {
  const ProbeSeries* uas = run.probe(QStringLiteral("uas"));
  if (!uas || run.dir.isEmpty()) return nullptr;
  const ProbeSeries* b = run.probe(QStringLiteral("blimp"));
  const QString blimpHash = b ? b->hash : QString();
  // Another configuration shown (a newer probe set): start over.
  if (const auto old = m_runs.value(run.dir);
      old &&
      (old->items.uasHash != uas->hash || (old->blimpWanted && old->items.blimpHash != blimpHash)))
    forget(run.dir);
  auto& slot = m_runs[run.dir];
  if (!slot) {
    slot = std::make_shared<State>();
    slot->items.uasHash = uas->hash;
  }
  State& s = *slot;
  // Results land in any order (coarse-to-fine probing), so compare sets.
  for (qint64 step : uas->steps)
    if (!s.seenUas.contains(step)) s.seenUas.insert(step), s.todoUas << step;
  if (blimp) {
    s.blimpWanted = true;
    s.items.blimpHash = blimpHash;
    if (b)
      for (qint64 step : b->steps)
        if (!s.seenBlimp.contains(step)) s.seenBlimp.insert(step), s.todoBlimp << step;
  }
  if (!s.reading) readChunk(run.dir, s);
  return items(run.dir, blimp);
}

const RunItems* RunItemsReader::items(const QString& dir, bool blimp) const {
  const auto it = m_runs.constFind(dir);
  if (it == m_runs.cend() || !(*it)->uasDone() || (blimp && !(*it)->blimpDone())) return nullptr;
  return &(*it)->items;
}

void RunItemsReader::readChunk(const QString& dir, State& s) {
  QVector<RunStepKey> keys;
  while (keys.size() < kStepsPerJob && !s.todoUas.isEmpty())
    keys << RunStepKey{true, s.todoUas.takeFirst()};
  s.readingUas = !keys.isEmpty();
  while (keys.size() < kStepsPerJob && s.blimpReadable() && !s.todoBlimp.isEmpty())
    keys << RunStepKey{false, s.todoBlimp.takeFirst()};
  s.readingBlimp = keys.size() > 0 && !keys.last().uas;
  if (keys.isEmpty()) return;
  s.reading = true;
  std::weak_ptr<State> weak = m_runs.value(dir);
  const QString uasHash = s.items.uasHash, blimpHash = s.items.blimpHash;
  auto done = [this, dir, weak](const RunItemsChunk* chunk) {
    const auto state = weak.lock();
    if (!state || m_runs.value(dir) != state) return;
    state->reading = state->readingUas = state->readingBlimp = false;
    if (chunk) {
      RunItems& items = state->items;
      const RunItems& read = chunk->items;
      mergeTable(items.uas, items.uasItemsMissing, read.uas, read.uasItemsMissing);
      mergeTable(items.blimp, items.blimpItemsMissing, read.blimp, read.blimpItemsMissing);
      items.headBest.rows.insert(read.headBest.rows);
      // Left for reads at the cursor: first in line for the next job.
      for (auto k = chunk->unread.crbegin(); k != chunk->unread.crend(); ++k)
        (k->uas ? state->todoUas : state->todoBlimp).prepend(k->step);
    }
    readChunk(dir, *state);
    Q_EMIT read(dir);
  };
  JobQueue* queue = &m_queue; // outlives its jobs (it waits for the running one)
  m_queue.post(
      QStringLiteral("run-items:") + dir, this,
      [dir, uasHash, blimpHash, keys, queue](const std::function<bool()>& cancelled) {
        return readRunSteps(dir, uasHash, blimpHash, keys, cancelled,
                            [queue] { return queue->othersWaiting(); });
      },
      [done](const RunItemsChunk& chunk) { done(&chunk); },
      [done](const QString&) { done(nullptr); });
}

void RunItemsReader::forget(const QString& dir) {
  m_runs.remove(dir);
  m_queue.cancel(QStringLiteral("run-items:") + dir);
}

RunItems readRunItems(const RunData& run, bool blimp) {
  RunItems items;
  const ProbeSeries* uas = run.probe(QStringLiteral("uas"));
  const ProbeSeries* b = blimp ? run.probe(QStringLiteral("blimp")) : nullptr;
  QVector<RunStepKey> keys;
  if (uas)
    for (qint64 step : uas->steps)
      keys << RunStepKey{true, step};
  if (b)
    for (qint64 step : b->steps)
      keys << RunStepKey{false, step};
  items = readRunSteps(run.dir, uas ? uas->hash : QString(), b ? b->hash : QString(), keys).items;
  items.uasHash = uas ? uas->hash : QString();
  items.blimpHash = b ? b->hash : QString();
  return items;
}

} // namespace chrysalis::ui
