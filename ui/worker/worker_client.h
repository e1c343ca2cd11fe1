#pragma once
// The GUI's handle on the engine worker, `chrysalis-cli serve` (house-style
// §3, §5): a child process speaking JSON lines. The GUI never links LibTorch;
// everything that needs the model goes through here.
//
// * Requests carry ids; replies are matched by id. One request is in flight
//   at a time, so a request still waiting can be dropped.
// * Requests with the same tag coalesce: a newer one drops the older ones not
//   yet sent (latest wins), e.g. the attention for the cursor step while
//   scrubbing. A superseded request that is already in flight still completes
//   and fills the cache.
// * Attention results are kept in an LRU cache by (series, step, words).
// * If the worker crashes or exits, the requests it had fail, workerStopped()
//   says why (for the status bar), and the next request starts a new worker.
// * A worker that stops answering is ended the same way: at once when the
//   process is stopped by a signal (SIGSTOP; not a debugger's stop), or after replyTimeout() of
//   silence with a request in flight. Otherwise a view would say "loading…"
//   forever.
#include "data/lru_cache.h"
#include "worker/ablation_result.h"
#include "worker/attention_result.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QProcess>
#include <QTimer>

#include <optional>

namespace chrysalis::ui {

class WorkerClient : public QObject {
  Q_OBJECT
public:
  /// @param cacheSize attention results kept (each is a few kB to a few MB).
  explicit WorkerClient(QObject* parent = nullptr, int cacheSize = 48);
  /// Asks the worker to shut down; kills it if it does not within a second.
  ~WorkerClient() override;

  /// The engine executable (default: locateEngine() at the first request).
  void setProgram(const QString& path) { m_program = path; }
  QString program() const { return m_program; }
  /// Silence (no output) with a request in flight after which the worker is
  /// ended and the request fails. A long forward pass of a large model on a
  /// CPU takes seconds, not minutes; an ablation request gets 30 minutes.
  void setReplyTimeout(int ms) { m_replyTimeoutMs = ms; }
  int replyTimeout() const { return m_replyTimeoutMs; }

  /// @returns the request id; pong() follows.
  qint64 ping(const QString& tag = {});
  /// Asks for every head's word-level attention. A cached result is delivered
  /// (queued, as attentionReady()) without asking the worker.
  /// @param tag requests with equal non-empty tags coalesce (latest wins).
  /// @returns the request id, or 0 when served from the cache.
  qint64 requestAttention(const AttentionKey& key, const QString& tag = {});
  /// Runs the ablation probe at one checkpoint (seconds on a small model;
  /// attention requests wait behind it). Not cached here: the worker keeps
  /// the result in the series' probe store and answers a repeat from there.
  /// @returns the request id; ablationReady() or ablationFailed() follows.
  qint64 requestAblation(const AblationKey& key);
  /// Drops the requests with this tag that are still waiting to be sent.
  void cancel(const QString& tag);
  /// The cached result for `key` (marks it recent), if any.
  std::optional<AttentionResult> cached(const AttentionKey& key);
  /// Puts a result in the cache as if the worker had sent it (benchmarks and
  /// tests that measure the views, not the engine).
  void prime(const AttentionResult& result) { m_cache.put(result.key, result); }

  bool isRunning() const;
  /// Requests sent or waiting.
  int pendingCount() const { return m_queue.size() + (m_inFlight ? 1 : 0); }
  /// The worker process while it runs (tests kill it), else nullptr.
  QProcess* process() const { return m_process; }
  /// Stops the worker now; waiting requests fail silently (no workerStopped()).
  void stop();

Q_SIGNALS:
  void pong(qint64 id);
  void attentionReady(const chrysalis::ui::AttentionResult& result);
  /// The worker answered with an error, or died while the request was pending.
  void requestFailed(qint64 id, const chrysalis::ui::AttentionKey& key, const QString& message);
  void ablationReady(qint64 id, const chrysalis::ui::AblationResult& result);
  void ablationFailed(qint64 id, const QString& message);
  /// A newer request with the same tag replaced it before it was sent.
  void requestDropped(qint64 id);
  void workerStarted();
  /// The worker crashed, exited or could not start; the next request restarts it.
  void workerStopped(const QString& message);
  void busyChanged(bool busy);

private:
  enum class Kind { Ping, Attention, Ablate };
  struct Request {
    qint64 id = 0;
    Kind kind = Kind::Ping;
    QString tag;
    AttentionKey key;
    AblationKey ablation;
  };
  void fail(const Request& request, const QString& message);
  /// Silence allowed for a request in flight (ablations get 30 minutes).
  qint64 replyTimeoutFor(const Request& request) const;

  qint64 enqueue(Request request);
  void dropQueued(const QString& tag);
  void startWorker();
  void pump();
  void onReadyRead();
  void onFinished(int exitCode, QProcess::ExitStatus status);
  void onError(QProcess::ProcessError error);
  void handleReply(const QByteArray& line);
  /// Fails every pending request and forgets the process.
  void workerGone(const QString& message, bool report);
  void setBusy(bool busy);
  /// Runs while a request is in flight: ends a stopped or silent worker.
  void checkWorkerAlive();
  /// Ends the worker now and reports `message` like a crash.
  void endUnresponsiveWorker(const QString& message);

  QString m_program;
  QProcess* m_process = nullptr;
  bool m_ready = false; // started() seen: safe to write
  QList<Request> m_queue;
  std::optional<Request> m_inFlight;
  qint64 m_nextId = 1;
  bool m_busy = false;
  QByteArray m_stderrTail; // the worker's last words, for the exit message
  QTimer m_watchdog;
  QElapsedTimer m_silence; // since the request was sent or the worker last wrote
  int m_replyTimeoutMs = 120000;
  LruCache<AttentionKey, AttentionResult> m_cache;
};

} // namespace chrysalis::ui
