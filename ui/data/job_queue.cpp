#include "data/job_queue.h"

namespace chrysalis::ui {

JobQueue::JobQueue(QObject* parent)
    : QObject(parent), m_io(std::make_unique<WorkerThread>("chrysalis-io")) {}

JobQueue::~JobQueue() {
  for (auto& c : m_latest)
    ++*c;       // every running job now sees cancelled()
  m_io.reset(); // skips the pending jobs, waits for the running one
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

void JobQueue::enqueue(std::function<void()> work) {
  m_io->post(std::move(work));
}

} // namespace chrysalis::ui
