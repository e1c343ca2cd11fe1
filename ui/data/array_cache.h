#pragma once
// Per-step probe arrays, loaded lazily on the I/O thread and kept in an LRU
// cache. Views ask with a tag (e.g. "heads:A"); a newer request with the same
// tag supersedes an older one still queued, so scrubbing reads only the step
// the cursor stops at. A read that has started is always delivered (its
// arrays are valid and often wanted again a moment later, e.g. a read-ahead
// overtaken by the cursor), and a key already being read is not read twice.
#include "data/lru_cache.h"
#include "data/step_arrays.h"

#include <QHash>
#include <QObject>
#include <QSet>

#include <memory>

namespace chrysalis::ui {

class JobQueue;

class ArrayCache : public QObject {
  Q_OBJECT
public:
  explicit ArrayCache(JobQueue& queue, int capacity = 64, QObject* parent = nullptr);

  /// @returns the cached arrays, or nullptr (then call request()).
  std::shared_ptr<const StepArrays> get(const ArrayKey& key);
  /// Loads the arrays unless cached; emits ready() or failed() later. A
  /// cached key emits nothing: call get() first.
  void request(const ArrayKey& key, const QString& tag);
  /// Forgets every step of a run (closed, or its files changed).
  void forgetRun(const QString& dir);

Q_SIGNALS:
  void ready(const chrysalis::ui::ArrayKey& key);
  void failed(const chrysalis::ui::ArrayKey& key, const QString& message);

private:
  struct Wants; // the key each tag wants now, shared with the I/O thread
  void post(const ArrayKey& key);

  JobQueue& m_queue;
  LruCache<ArrayKey, std::shared_ptr<const StepArrays>> m_cache;
  std::shared_ptr<Wants> m_wants;
  QSet<ArrayKey> m_inFlight;
  QHash<QString, quint64> m_runEpoch; // bumped by forgetRun: older reads are dropped
};

} // namespace chrysalis::ui
