#pragma once
// Per-step probe arrays, loaded lazily on the I/O thread and kept in an LRU
// cache. Views ask with a tag (e.g. "heads:A"); a newer request with the same
// tag supersedes an older one still queued, so scrubbing reads only the step
// the cursor stops at.
#include "data/lru_cache.h"
#include "data/step_arrays.h"

#include <QObject>

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
  JobQueue& m_queue;
  LruCache<ArrayKey, std::shared_ptr<const StepArrays>> m_cache;
};

} // namespace chrysalis::ui
