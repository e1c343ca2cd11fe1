#pragma once
// Importing Hugging Face checkpoints from the app: `chrysalis-cli import-hf
// SOURCE --out SERIES --json [--watch]` as a child process (a hostile
// pytorch_model.bin can end only the child). Each checkpoint arrives as an
// event; with follow, the child keeps importing new checkpoint-N folders of
// a run that trains elsewhere until cancel().
#include <QObject>
#include <QString>
#include <QStringList>

class QJsonObject;

namespace chrysalis::ui {

class EngineJob;

/// The engine's arguments for an import (`follow`: --watch).
QStringList importArguments(const QString& source, const QString& series, bool follow);

class ImportJob : public QObject {
  Q_OBJECT
public:
  explicit ImportJob(QObject* parent = nullptr);

  /// @returns false while another import runs, or when no engine is found.
  bool start(const QString& source, const QString& series, bool follow);
  /// Stops: checkpoints already imported stay (each is published whole);
  /// following ends cleanly.
  void cancel();
  bool isRunning() const;
  bool following() const { return m_follow && isRunning(); }
  QString series() const { return m_series; }
  QString source() const { return m_source; }
  void setProgram(const QString& program) { m_program = program; }

Q_SIGNALS:
  /// A checkpoint is in the series (the first one creates it).
  void checkpointImported(const QString& series, qint64 step, qint64 done, qint64 total);
  void logLine(const QString& line);
  /// The job ended: a one-line summary; `ok` unless the engine failed.
  void finished(const QString& summary, bool ok);

private:
  void onEvent(const QJsonObject& event);

  EngineJob* m_job;
  QString m_program, m_source, m_series;
  bool m_follow = false;
  bool m_cancelled = false;
};

} // namespace chrysalis::ui
