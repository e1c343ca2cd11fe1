#pragma once
// Hand-offs between the GUI thread and the data layer's worker threads that
// ThreadSanitizer can follow. Debian's Qt is not built with TSan, so data
// carried inside a queued call or a QThreadPool task crosses threads through
// locks TSan cannot see and every such hand-off reads as a race. Here the
// work itself travels through std::mutex-guarded queues (TSan sees those);
// Qt only wakes the GUI thread, with an event that carries no data of ours.
#include <QObject>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace chrysalis::ui {

/// One thread running posted tasks in order.
class WorkerThread {
public:
  explicit WorkerThread(std::string name);
  /// Skips the tasks not yet started and waits for the running one.
  ~WorkerThread();
  WorkerThread(const WorkerThread&) = delete;
  WorkerThread& operator=(const WorkerThread&) = delete;

  void post(std::function<void()> task);
  /// Blocks until every task posted so far has run.
  void waitForIdle();
  /// Whether tasks wait for their turn (a long task can end early for them).
  bool hasWaiting() const;
  /// Skips the tasks not yet started and waits for the running one; the
  /// object stays usable by that task meanwhile. Later calls do nothing.
  void stop();

private:
  void loop();

  mutable std::mutex m_mutex;
  std::condition_variable m_wake, m_idle;
  std::deque<std::function<void()>> m_tasks;
  bool m_running = false;
  bool m_stop = false;
  std::thread m_thread;
};

/// Runs posted functions on the thread this object lives on (the GUI
/// thread), from any thread; functions posted after destruction began are
/// dropped with it.
class GuiInbox : public QObject {
  Q_OBJECT
public:
  explicit GuiInbox(QObject* parent = nullptr);
  void post(std::function<void()> fn);

  /// Runs what has arrived (normally from the wake-up event).
  Q_INVOKABLE void drain();

private:
  std::mutex m_mutex;
  std::deque<std::function<void()>> m_inbox;
  bool m_wakePending = false;
};

} // namespace chrysalis::ui
