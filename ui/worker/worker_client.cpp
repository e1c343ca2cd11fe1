#include "worker/worker_client.h"

#include "worker/engine_environment.h"
#include "worker/worker_locator.h"
#include "worker/worker_protocol_qt.h"

#include <QFile>
#include <QMetaObject>
#include <QPointer>
#include <QSignalBlocker>

#include <algorithm>

namespace chrysalis::ui {

namespace {
constexpr int kStderrTail = 4096;
constexpr int kWatchdogMs = 1000;

// True when the process is stopped by a signal (state T in /proc/PID/stat,
// Linux). A debugger's tracing stop (t) is left alone: someone is looking.
bool processIsStopped(qint64 pid) {
  QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
  if (pid <= 0 || !stat.open(QIODevice::ReadOnly)) return false;
  const QByteArray text = stat.read(512);
  // "PID (COMM) STATE ...": COMM may hold spaces and parentheses.
  const int close = text.lastIndexOf(')');
  if (close < 0 || close + 2 >= text.size()) return false;
  const char state = text.at(close + 2);
  return state == 'T';
}

QString lastLine(const QByteArray& text) {
  const QList<QByteArray> lines = text.trimmed().split('\n');
  return lines.isEmpty() ? QString() : QString::fromUtf8(lines.last().trimmed());
}
} // namespace

WorkerClient::WorkerClient(QObject* parent, int cacheSize) : QObject(parent), m_cache(cacheSize) {
  qRegisterMetaType<AttentionKey>();
  qRegisterMetaType<AttentionResult>();
  qRegisterMetaType<AblationResult>();
  m_watchdog.setInterval(kWatchdogMs);
  connect(&m_watchdog, &QTimer::timeout, this, &WorkerClient::checkWorkerAlive);
}

WorkerClient::~WorkerClient() {
  const QSignalBlocker quiet(this); // receivers may already be half destroyed
  stop();
}

void WorkerClient::stop() {
  if (!m_process) {
    workerGone({}, false);
    return;
  }
  QProcess* p = m_process;
  p->disconnect(this);
  if (m_ready) {
    p->write(shutdownRequestLine(0));
    p->closeWriteChannel(); // end of input also stops the serve loop
  }
  // The worker may be in a long forward pass: give it a moment, then kill it.
  if (!p->waitForFinished(1000)) {
    p->kill();
    p->waitForFinished(1000);
  }
  delete p;
  m_process = nullptr;
  workerGone({}, false);
}

bool WorkerClient::isRunning() const {
  return m_process && m_process->state() == QProcess::Running;
}

qint64 WorkerClient::ping(const QString& tag) {
  Request r;
  r.kind = Kind::Ping;
  r.tag = tag;
  return enqueue(r);
}

qint64 WorkerClient::requestAttention(const AttentionKey& key, const QString& tag) {
  if (const AttentionResult* hit = m_cache.get(key)) {
    // Delivered later, like a reply, so callers see one code path; a newer
    // request with this tag must still supersede queued ones.
    dropQueued(tag);
    QMetaObject::invokeMethod(
        this, [this, result = *hit] { Q_EMIT attentionReady(result); }, Qt::QueuedConnection);
    setBusy(pendingCount() > 0);
    return 0;
  }
  Request r;
  r.kind = Kind::Attention;
  r.tag = tag;
  r.key = key;
  return enqueue(r);
}

qint64 WorkerClient::replyTimeoutFor(const Request& r) const {
  // An ablation is several passes over the probe set and prints nothing
  // meanwhile: minutes for BERT-base on a CPU. A stopped worker is still
  // caught at once (processIsStopped), whatever the request.
  return r.kind == Kind::Ablate ? std::max<qint64>(m_replyTimeoutMs, 30 * 60 * 1000)
                                : m_replyTimeoutMs;
}

qint64 WorkerClient::requestAblation(const AblationKey& key) {
  Request r;
  r.kind = Kind::Ablate;
  r.ablation = key;
  return enqueue(r);
}

void WorkerClient::fail(const Request& r, const QString& message) {
  if (r.kind == Kind::Ablate)
    Q_EMIT ablationFailed(r.id, message);
  else
    Q_EMIT requestFailed(r.id, r.key, message);
}

void WorkerClient::cancel(const QString& tag) {
  dropQueued(tag);
  setBusy(pendingCount() > 0);
}

void WorkerClient::dropQueued(const QString& tag) {
  if (tag.isEmpty()) return;
  for (int i = m_queue.size() - 1; i >= 0; --i)
    if (m_queue[i].tag == tag) Q_EMIT requestDropped(m_queue.takeAt(i).id);
}

std::optional<AttentionResult> WorkerClient::cached(const AttentionKey& key) {
  if (const AttentionResult* hit = m_cache.get(key)) return *hit;
  return std::nullopt;
}

qint64 WorkerClient::enqueue(Request request) {
  request.id = m_nextId++;
  dropQueued(request.tag);
  m_queue.append(request);
  setBusy(true);
  if (!m_process)
    startWorker();
  else
    pump();
  return request.id;
}

void WorkerClient::startWorker() {
  if (m_program.isEmpty()) m_program = locateEngine();
  if (m_program.isEmpty()) {
    workerGone(engineNotFoundMessage(), true);
    return;
  }
  m_ready = false;
  m_stderrTail.clear();
  m_process = new QProcess(this);
  m_process->setProgram(m_program);
  m_process->setArguments({QStringLiteral("serve")});
  useEngineEnvironment(*m_process); // dies with the app, even when the app is killed
  connect(m_process, &QProcess::started, this, [this] {
    m_ready = true;
    Q_EMIT workerStarted();
    pump();
  });
  connect(m_process, &QProcess::readyReadStandardOutput, this, &WorkerClient::onReadyRead);
  connect(m_process, &QProcess::readyReadStandardError, this, [this] {
    m_silence.start();
    m_stderrTail += m_process->readAllStandardError();
    if (m_stderrTail.size() > kStderrTail) m_stderrTail = m_stderrTail.right(kStderrTail);
  });
  connect(m_process, &QProcess::finished, this, &WorkerClient::onFinished);
  connect(m_process, &QProcess::errorOccurred, this, &WorkerClient::onError);
  m_process->start();
}

void WorkerClient::pump() {
  if (!m_process || !m_ready || m_inFlight || m_queue.isEmpty()) return;
  m_inFlight = m_queue.takeFirst();
  const Request& r = *m_inFlight;
  m_process->write(r.kind == Kind::Ping     ? pingRequestLine(r.id)
                   : r.kind == Kind::Ablate ? ablationRequestLine(r.id, r.ablation)
                                            : attentionRequestLine(r.id, r.key));
  m_silence.start();
  m_watchdog.start();
}

void WorkerClient::checkWorkerAlive() {
  if (!m_process || !m_inFlight) {
    m_watchdog.stop();
    return;
  }
  if (processIsStopped(m_process->processId())) {
    endUnresponsiveWorker(QStringLiteral(
        "The engine worker was stopped (a signal or a debugger) while a request waited; it was "
        "ended and restarts on the next request."));
  } else if (m_silence.elapsed() > replyTimeoutFor(*m_inFlight)) {
    endUnresponsiveWorker(QStringLiteral("The engine worker did not answer within %1 s; it was "
                                         "ended and restarts on the next request.")
                              .arg(replyTimeoutFor(*m_inFlight) / 1000.0, 0, 'g', 3));
  }
}

void WorkerClient::endUnresponsiveWorker(const QString& message) {
  QProcess* p = m_process;
  p->disconnect(this);
  p->kill(); // SIGKILL ends a stopped process too
  p->waitForFinished(2000);
  delete p;
  m_process = nullptr;
  workerGone(message, true);
}

void WorkerClient::onReadyRead() {
  // Keep a pointer: a handler may stop the worker (and delete the process).
  QPointer<QProcess> p = m_process;
  m_silence.start(); // output, even partial, is a sign of life
  while (p && p == m_process && p->canReadLine())
    handleReply(p->readLine());
}

void WorkerClient::handleReply(const QByteArray& line) {
  if (line.trimmed().isEmpty()) return;
  if (!m_inFlight) return; // a reply nobody waits for (e.g. to a shutdown)
  const Request r = *m_inFlight;
  const WorkerReply reply =
      r.kind == Kind::Ablate ? parseAblationReply(line, r.ablation) : parseWorkerReply(line, r.key);
  if (reply.id != r.id && reply.id != -1) return; // stale: not the request in flight
  m_inFlight.reset();
  m_watchdog.stop();
  if (!reply.ok) {
    fail(r, reply.error);
  } else if (r.kind == Kind::Ablate) {
    Q_EMIT ablationReady(r.id, reply.ablation);
  } else if (r.kind == Kind::Ping) {
    Q_EMIT pong(r.id);
  } else if (!reply.attention.isValid()) {
    Q_EMIT requestFailed(r.id, r.key, QStringLiteral("the worker's reply has no attention maps"));
  } else {
    m_cache.put(r.key, reply.attention);
    Q_EMIT attentionReady(reply.attention);
  }
  setBusy(pendingCount() > 0);
  pump();
}

void WorkerClient::onFinished(int exitCode, QProcess::ExitStatus status) {
  QString message = status == QProcess::CrashExit
                        ? QStringLiteral("The engine worker crashed")
                        : QStringLiteral("The engine worker exited (code %1)").arg(exitCode);
  const QString why =
      lastLine(m_stderrTail + (m_process ? m_process->readAllStandardError() : QByteArray()));
  if (!why.isEmpty()) message += QStringLiteral(": ") + why;
  message += QStringLiteral("; it restarts on the next request.");
  if (m_process) m_process->deleteLater();
  m_process = nullptr;
  workerGone(message, true);
}

void WorkerClient::onError(QProcess::ProcessError error) {
  // Crashes and exits also arrive as finished(); only a failed start does not.
  if (error != QProcess::FailedToStart || !m_process) return;
  const QString message = QStringLiteral("Cannot start the engine worker %1: %2")
                              .arg(m_program, m_process->errorString());
  m_process->deleteLater();
  m_process = nullptr;
  workerGone(message, true);
}

void WorkerClient::workerGone(const QString& message, bool report) {
  m_ready = false;
  m_watchdog.stop();
  QList<Request> failed = m_queue;
  if (m_inFlight) failed.prepend(*m_inFlight);
  m_inFlight.reset();
  m_queue.clear();
  setBusy(false);
  if (!report) return;
  // Reported from the event loop: this can run inside requestAttention() (no
  // engine found), before the caller has even seen the request's id.
  QMetaObject::invokeMethod(
      this,
      [this, failed, message] {
        for (const Request& r : failed)
          fail(r, message);
        Q_EMIT workerStopped(message);
      },
      Qt::QueuedConnection);
}

void WorkerClient::setBusy(bool busy) {
  if (busy == m_busy) return;
  m_busy = busy;
  Q_EMIT busyChanged(busy);
}

} // namespace chrysalis::ui
