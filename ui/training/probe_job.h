#pragma once
// Probing a series in the background: `chrysalis-cli probe` as a child
// process (only results not in the store are computed, the cursor's
// checkpoint and then coarse checkpoints first), its progress as typed
// signals. ProbeStatus shows it in the status bar; AutoProbe and "Probe
// Missing Results" start it. A crash or a hostile file ends the child only.
#include <QObject>
#include <QString>

class QJsonObject;

namespace chrysalis::ui {

class EngineJob;

class ProbeJob : public QObject {
  Q_OBJECT
public:
  explicit ProbeJob(QObject* parent = nullptr);

  /// @param firstStep probed first (the cursor's step), or -1.
  /// @returns false while another probe job runs.
  bool start(const QString& series, const QString& probeSet, qint64 firstStep = -1);
  /// The same with the engine's arguments given (e.g. ablationProbeArguments()).
  bool startWith(const QString& series, const QStringList& arguments);
  /// Stops after the current checkpoint; finished results are kept.
  void cancel();
  bool isRunning() const;
  void setProgram(const QString& program) { m_program = program; }
  QString program() const { return m_program; }
  /// The series of the running (or last) job.
  QString series() const { return m_series; }
  EngineJob* job() const { return m_job; }

Q_SIGNALS:
  void started(const QString& series);
  /// `done` of `total` checkpoints; `step` is the checkpoint just written, or -1.
  void progressed(qint64 done, qint64 total, qint64 step);
  /// A checkpoint's results are written (the engine's step_done): the series
  /// can be read again now, without waiting for the folder watcher.
  void resultsWritten(const QString& series);
  /// cancel() was asked; the job ends after the current checkpoint.
  void stopping();
  /// The job ended; a one-line summary for the status bar.
  void finished(const QString& summary);

private:
  void onEvent(const QJsonObject& event);

  EngineJob* m_job;
  QString m_program;
  QString m_series;
};

} // namespace chrysalis::ui
