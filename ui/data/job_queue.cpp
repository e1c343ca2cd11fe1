#include "data/job_queue.h"

namespace chrysalis::ui {

JobQueue::JobQueue(QObject* parent)
    : QObject(parent), m_io(std::make_unique<WorkerThread>("chrysalis-io")),
      m_compute(std::make_unique<WorkerThread>("chrysalis-compute")) {}

JobQueue::~JobQueue() {
  for (auto& c : m_latest)
    ++*c; // every running job now sees cancelled()
  // Skips the pending jobs and waits for the running one, which may still
  // ask othersWaiting() until it returns (so the threads outlive the wait).
  m_io->stop();
  m_compute->stop();
}

void JobQueue::cancel(const QString& tag) {
  auto it = m_latest.find(tag);
  if (it != m_latest.end()) ++**it;
}

JobQueue::Counter JobQueue::counter(const QString& tag) {
  auto it = m_latest.find(tag);
  if (it == m_latest.end()) it = m_latest.insert(tag, std::make_shared<std::atomic<quint64>>(0));
  return *it;
}

bool JobQueue::othersWaiting(Lane lane) const {
  return (lane == Lane::Io ? m_io : m_compute)->hasWaiting();
}

void JobQueue::enqueue(std::function<void()> work, Lane lane) {
  (lane == Lane::Io ? m_io : m_compute)->post(std::move(work));
}

} // namespace chrysalis::ui
