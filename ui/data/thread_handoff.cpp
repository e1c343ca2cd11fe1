#include "data/thread_handoff.h"

#include <QMetaObject>

#include <pthread.h>

namespace chrysalis::ui {

WorkerThread::WorkerThread(std::string name) {
  m_thread = std::thread([this] { loop(); });
  // Shows in debuggers and profilers (at most 15 characters).
  pthread_setname_np(m_thread.native_handle(), name.substr(0, 15).c_str());
}

WorkerThread::~WorkerThread() {
  stop();
}

void WorkerThread::stop() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
    m_tasks.clear();
  }
  m_wake.notify_all();
  if (m_thread.joinable()) m_thread.join();
}

bool WorkerThread::hasWaiting() const {
  std::lock_guard lock(m_mutex);
  return !m_tasks.empty();
}

void WorkerThread::post(std::function<void()> task) {
  {
    std::lock_guard lock(m_mutex);
    m_tasks.push_back(std::move(task));
  }
  m_wake.notify_one();
}

void WorkerThread::waitForIdle() {
  std::unique_lock lock(m_mutex);
  m_idle.wait(lock, [this] { return m_tasks.empty() && !m_running; });
}

void WorkerThread::loop() {
  std::unique_lock lock(m_mutex);
  while (true) {
    m_wake.wait(lock, [this] { return m_stop || !m_tasks.empty(); });
    if (m_stop) break;
    auto task = std::move(m_tasks.front());
    m_tasks.pop_front();
    m_running = true;
    lock.unlock();
    task();
    task = nullptr; // captured state is released on this thread, outside the lock
    lock.lock();
    m_running = false;
    if (m_tasks.empty()) m_idle.notify_all();
  }
  m_running = false;
  m_idle.notify_all();
}

GuiInbox::GuiInbox(QObject* parent) : QObject(parent) {}

void GuiInbox::post(std::function<void()> fn) {
  bool wake = false;
  {
    std::lock_guard lock(m_mutex);
    m_inbox.push_back(std::move(fn));
    wake = !m_wakePending;
    m_wakePending = true;
  }
  // By name: the event Qt queues holds nothing that was written on this thread.
  if (wake) QMetaObject::invokeMethod(this, "drain", Qt::QueuedConnection);
}

void GuiInbox::drain() {
  std::deque<std::function<void()>> arrived;
  {
    std::lock_guard lock(m_mutex);
    arrived.swap(m_inbox);
    m_wakePending = false;
  }
  for (auto& fn : arrived)
    fn();
}

} // namespace chrysalis::ui
