#pragma once
// One run of chrysalis-cli with --json (train or probe) as a child process
// (house-style §3): each JSON line on stdout becomes eventReceived(), every
// other line (stderr, a stray print) logLine(). stop() sends SIGTERM, on which
// the engine finishes its step, saves what it has and exits with 130.
#include "format/engine_events.h"

#include <QJsonObject>
#include <QObject>
#include <QProcess>
#include <QStringList>

namespace chrysalis::ui {

/// Whether `event` (a line the engine printed) is of this type.
inline bool isEngineEvent(const QJsonObject& event, format::EngineEventType type) {
  return event.value(QStringLiteral("event")).toString() ==
         QLatin1String(format::engineEventName(type));
}

class EngineJob : public QObject {
  Q_OBJECT
public:
  explicit EngineJob(QObject* parent = nullptr);
  /// Stops a running job (SIGTERM, then kill after a few seconds): the app
  /// closing must not leave an orphan training in the background.
  ~EngineJob() override;

  /// @param program the engine; empty: locateEngine().
  /// @returns false (and finished() follows) when no engine can be found.
  bool start(const QStringList& arguments, const QString& program = {});
  /// SIGTERM: the engine checkpoints and exits 130. A second call kills it.
  void stop();
  bool isRunning() const;
  bool stopRequested() const { return m_stopRequested; }
  /// The command as a shell would show it, for the log.
  QString commandLine() const;
  QProcess* process() const { return m_process; }

  /// Exit 0 "finished", 130 "interrupted", other codes with the engine's
  /// last error line, or the crash.
  static QString describeExit(int exitCode, QProcess::ExitStatus status, const QString& lastError);

Q_SIGNALS:
  void started();
  void eventReceived(const QJsonObject& event);
  void logLine(const QString& line);
  /// @param exitCode the engine's status (-1 when it crashed or never started).
  void finished(int exitCode, const QString& summary);

private:
  void readLines(QProcess::ProcessChannel channel);

  QProcess* m_process = nullptr;
  QByteArray m_partial[2];
  QString m_lastError;
  bool m_stopRequested = false;
};

} // namespace chrysalis::ui
