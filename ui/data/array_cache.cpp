#include "data/array_cache.h"

#include "data/job_queue.h"
#include "data/run_reader.h"

#include <QMutex>
#include <QMutexLocker>

#include <utility>

namespace chrysalis::ui {

struct ArrayCache::Wants {
  QMutex mutex;
  QHash<QString, ArrayKey> byTag;
  bool wanted(const ArrayKey& key) {
    const QMutexLocker lock(&mutex);
    for (const ArrayKey& k : std::as_const(byTag))
      if (k == key) return true;
    return false;
  }
};

ArrayCache::ArrayCache(JobQueue& queue, int capacity, QObject* parent)
    : QObject(parent), m_queue(queue), m_cache(capacity), m_wants(std::make_shared<Wants>()) {
  qRegisterMetaType<ArrayKey>();
}

std::shared_ptr<const StepArrays> ArrayCache::get(const ArrayKey& key) {
  const auto* hit = m_cache.get(key);
  return hit ? *hit : nullptr;
}

void ArrayCache::request(const ArrayKey& key, const QString& tag) {
  if (!key.isValid()) return;
  {
    const QMutexLocker lock(&m_wants->mutex);
    m_wants->byTag.insert(tag, key);
  }
  if (m_cache.contains(key) || m_inFlight.contains(key)) return;
  post(key);
}

void ArrayCache::post(const ArrayKey& key) {
  m_inFlight.insert(key);
  const quint64 epoch = m_runEpoch.value(key.dir);
  // One job per key: jobs never supersede each other in the queue; a job
  // whose key no tag wants any more when its turn comes skips the read.
  m_queue.post(
      QStringLiteral("arrays:%1|%2|%3").arg(key.dir, key.hash).arg(key.step), this,
      [key, wants = m_wants](const std::function<bool()>&) -> std::shared_ptr<const StepArrays> {
        if (!wants->wanted(key)) return nullptr;
        return std::make_shared<const StepArrays>(readStepArrays(key));
      },
      [this, key, epoch](std::shared_ptr<const StepArrays> arrays) {
        m_inFlight.remove(key);
        // Skipped, or read before the run was forgotten (its files changed):
        // read again if it is wanted now.
        if (!arrays || m_runEpoch.value(key.dir) != epoch) {
          if (m_wants->wanted(key)) post(key);
          return;
        }
        m_cache.put(key, std::move(arrays));
        Q_EMIT ready(key);
      },
      [this, key, epoch](const QString& message) {
        m_inFlight.remove(key);
        if (m_runEpoch.value(key.dir) == epoch)
          Q_EMIT failed(key, message);
        else if (m_wants->wanted(key))
          post(key);
      });
}

void ArrayCache::forgetRun(const QString& dir) {
  m_cache.removeIf([&](const ArrayKey& k) { return k.dir == dir; });
  ++m_runEpoch[dir];
}

} // namespace chrysalis::ui
