#include "data/array_cache.h"

#include "data/job_queue.h"
#include "data/run_reader.h"

namespace chrysalis::ui {

ArrayCache::ArrayCache(JobQueue& queue, int capacity, QObject* parent)
    : QObject(parent), m_queue(queue), m_cache(capacity) {
  qRegisterMetaType<ArrayKey>();
}

std::shared_ptr<const StepArrays> ArrayCache::get(const ArrayKey& key) {
  const auto* hit = m_cache.get(key);
  return hit ? *hit : nullptr;
}

void ArrayCache::request(const ArrayKey& key, const QString& tag) {
  if (!key.isValid() || m_cache.contains(key)) return;
  m_queue.post(
      QStringLiteral("arrays:") + tag, this,
      [key](const std::function<bool()>&) {
        return std::make_shared<const StepArrays>(readStepArrays(key));
      },
      [this, key](std::shared_ptr<const StepArrays> arrays) {
        m_cache.put(key, std::move(arrays));
        Q_EMIT ready(key);
      },
      [this, key](const QString& message) { Q_EMIT failed(key, message); });
}

void ArrayCache::forgetRun(const QString& dir) {
  m_cache.removeIf([&](const ArrayKey& k) { return k.dir == dir; });
}

} // namespace chrysalis::ui
