#pragma once
// The one "latest request wins" job helper (house-style §4, §5, §6). Jobs run
// in order on one of two lanes: the I/O lane, a single thread and therefore
// the only one that touches HDF5, and the compute lane for long CPU work
// (bootstrap resampling) that must not hold up reads while the user scrubs.
// Jobs carry a tag; posting a new job with the same tag
// supersedes the older one: if it has not started it is skipped, if it is
// running it sees cancelled() == true, and its result is never delivered.
// Results come back on the GUI thread, and only while the context object lives.
// Jobs and results travel through data/thread_handoff.h (visible to TSan).
#include "data/thread_handoff.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>

#include <atomic>
#include <exception>
#include <functional>
#include <memory>

namespace chrysalis::ui {

class JobQueue : public QObject {
  Q_OBJECT
public:
  enum class Lane { Io, Compute };

  explicit JobQueue(QObject* parent = nullptr);
  /// Cancels every job and waits for the running one to return.
  ~JobQueue() override;

  /// @param tag     jobs with equal tags supersede each other (e.g. "run:/a/b").
  /// @param context results are dropped once it is destroyed.
  /// @param job     `R job(const std::function<bool()>& cancelled)`, runs on the lane's thread
  ///                (Io: never touches the GUI; Compute: never touches HDF5 either).
  /// @param done    `void done(R)`, runs on the GUI thread for the latest job only.
  /// @param failed  `void failed(QString)`, the exception's message, same rules as done.
  template <typename Job, typename Done, typename Failed>
  void post(const QString& tag, QObject* context, Job job, Done done, Failed failed,
            Lane lane = Lane::Io);

  /// Cancels the pending and running jobs of a tag.
  void cancel(const QString& tag);
  /// Whether other jobs wait for the lane while one runs: callable from the
  /// running job, so that long background reads (a whole run's results) end
  /// early and let the reads at the cursor go first.
  bool othersWaiting(Lane lane = Lane::Io) const;

private:
  using Counter = std::shared_ptr<std::atomic<quint64>>;
  Counter counter(const QString& tag);
  void enqueue(std::function<void()> work, Lane lane);

  GuiInbox m_results;                      // delivers on the GUI thread
  std::unique_ptr<WorkerThread> m_io;      // the I/O lane; joined before m_results goes
  std::unique_ptr<WorkerThread> m_compute; // the compute lane; likewise
  QHash<QString, Counter> m_latest;
};

template <typename Job, typename Done, typename Failed>
void JobQueue::post(const QString& tag, QObject* context, Job job, Done done, Failed failed,
                    Lane lane) {
  Counter latest = counter(tag);
  const quint64 id = ++*latest;
  QPointer<QObject> ctx(context);
  enqueue(
      [this, latest, id, ctx, job, done, failed]() mutable {
        std::function<bool()> cancelled = [latest, id] { return latest->load() != id; };
        if (cancelled()) return;
        // Deliver through the queue's inbox, which outlives its thread (the
        // destructor joins it first); the context is checked on the GUI thread,
        // where it can be destroyed.
        auto deliver = [&](auto fn) {
          m_results.post([ctx, cancelled, fn]() mutable {
            if (ctx && !cancelled()) fn();
          });
        };
        try {
          auto result = std::make_shared<decltype(job(cancelled))>(job(cancelled));
          if (cancelled()) return;
          deliver([done, result]() mutable { done(std::move(*result)); });
        } catch (const std::exception& e) {
          deliver(
              [failed, message = QString::fromStdString(e.what())]() mutable { failed(message); });
        }
      },
      lane);
}

} // namespace chrysalis::ui
