#include "training/engine_job.h"

#include "worker/engine_environment.h"
#include "worker/worker_locator.h"

#include <QJsonDocument>
#include <QMetaObject>
#include <QSignalBlocker>

namespace chrysalis::ui {

EngineJob::EngineJob(QObject* parent) : QObject(parent) {}

EngineJob::~EngineJob() {
  if (!isRunning()) return;
  const QSignalBlocker quiet(this);
  m_process->disconnect(this);
  m_process->terminate();
  if (!m_process->waitForFinished(5000)) {
    m_process->kill();
    m_process->waitForFinished(1000);
  }
}

bool EngineJob::start(const QStringList& arguments, const QString& program) {
  if (isRunning()) return false;
  const QString exe = program.isEmpty() ? locateEngine() : program;
  if (exe.isEmpty()) {
    const QString message = engineNotFoundMessage();
    QMetaObject::invokeMethod(
        this, [this, message] { Q_EMIT finished(-1, message); }, Qt::QueuedConnection);
    return false;
  }
  delete m_process;
  m_process = new QProcess(this);
  m_process->setProgram(exe);
  m_process->setArguments(arguments);
  useEngineEnvironment(*m_process); // dies with the app, even when the app is killed
  m_partial[0].clear();
  m_partial[1].clear();
  m_lastError.clear();
  m_stopRequested = false;
  connect(m_process, &QProcess::started, this, &EngineJob::started);
  connect(m_process, &QProcess::readyReadStandardOutput, this,
          [this] { readLines(QProcess::StandardOutput); });
  connect(m_process, &QProcess::readyReadStandardError, this,
          [this] { readLines(QProcess::StandardError); });
  connect(m_process, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
    readLines(QProcess::StandardOutput);
    readLines(QProcess::StandardError);
    Q_EMIT finished(status == QProcess::CrashExit ? -1 : code,
                    describeExit(code, status, m_lastError));
  });
  connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
    if (error == QProcess::FailedToStart)
      Q_EMIT finished(-1, QStringLiteral("Cannot start %1: %2")
                              .arg(m_process->program(), m_process->errorString()));
  });
  m_process->start();
  return true;
}

void EngineJob::stop() {
  if (!isRunning()) return;
  if (m_stopRequested) {
    m_process->kill(); // the second request: the engine also exits at once on a second signal
    return;
  }
  m_stopRequested = true;
  m_process->terminate(); // SIGTERM
}

bool EngineJob::isRunning() const {
  return m_process && m_process->state() != QProcess::NotRunning;
}

QString EngineJob::commandLine() const {
  if (!m_process) return {};
  QStringList parts{m_process->program()};
  for (const QString& a : m_process->arguments())
    parts << (a.contains(QLatin1Char(' ')) ? QLatin1Char('\'') + a + QLatin1Char('\'') : a);
  return parts.join(QLatin1Char(' '));
}

QString EngineJob::describeExit(int exitCode, QProcess::ExitStatus status,
                                const QString& lastError) {
  if (status == QProcess::CrashExit)
    return QStringLiteral("The engine crashed") +
           (lastError.isEmpty() ? QString() : QStringLiteral(": ") + lastError);
  if (exitCode == 0) return QStringLiteral("Finished");
  if (exitCode == 130) return QStringLiteral("Stopped; what was computed is saved");
  return QStringLiteral("Failed (exit code %1)%2")
      .arg(exitCode)
      .arg(lastError.isEmpty() ? QString() : QStringLiteral(": ") + lastError);
}

void EngineJob::readLines(QProcess::ProcessChannel channel) {
  if (!m_process) return;
  QByteArray& partial = m_partial[channel == QProcess::StandardOutput ? 0 : 1];
  partial += channel == QProcess::StandardOutput ? m_process->readAllStandardOutput()
                                                 : m_process->readAllStandardError();
  // A progress bar on a terminal redraws with '\r'; treat it as a line end.
  partial.replace('\r', '\n');
  qsizetype end;
  while ((end = partial.indexOf('\n')) >= 0) {
    const QByteArray line = partial.left(end).trimmed();
    partial.remove(0, end + 1);
    if (line.isEmpty()) continue;
    // An event by the contract of format/engine_events.h (bounded, typed
    // fields); anything else the engine prints is a log line.
    if (channel == QProcess::StandardOutput && line.startsWith('{')) {
      if (const auto event = format::parseEngineEvent(std::string_view(line.data(), line.size()))) {
        if (event->type == format::EngineEventType::Error)
          m_lastError = QString::fromStdString(event->message);
        Q_EMIT eventReceived(QJsonDocument::fromJson(line).object());
        continue;
      }
    }
    const QString text = QString::fromUtf8(line);
    if (channel == QProcess::StandardError &&
        text.contains(QLatin1String("error"), Qt::CaseInsensitive))
      m_lastError = text;
    Q_EMIT logLine(text);
  }
}

} // namespace chrysalis::ui
