#pragma once
// "Probe Missing Results" in the status bar: runs `chrysalis-cli probe` for a
// series (only results not in its store are computed, the cursor's checkpoint
// and then coarse checkpoints first) with a progress bar and a Cancel button. It appears only while
// a job runs (house-style §8); the run's SeriesWatcher picks up the results.
#include <QJsonObject>
#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace chrysalis::ui {

class EngineJob;

class ProbeStatus : public QWidget {
  Q_OBJECT
public:
  explicit ProbeStatus(QWidget* parent = nullptr);

  /// @param firstStep probed first (the cursor's step), or -1.
  /// @returns false while another probe job runs.
  bool start(const QString& series, const QString& probeSet, qint64 firstStep = -1);
  void cancel();
  bool isRunning() const;
  void setProgram(const QString& program) { m_program = program; }
  QString program() const { return m_program; }
  /// The series of the running (or last) job.
  QString series() const { return m_series; }
  EngineJob* job() const { return m_job; }
  QString text() const;

Q_SIGNALS:
  /// The job ended; a one-line summary for the status bar.
  void finished(const QString& summary);
  /// The engine reported a checkpoint's results written (its step_done event):
  /// the series can be read again now, without waiting for the folder watcher.
  void resultsWritten(const QString& series);

private:
  void onEvent(const QJsonObject& event);

  EngineJob* m_job;
  QString m_program;
  QString m_series;
  QLabel* m_label;
  QProgressBar* m_bar;
  QToolButton* m_cancel;
};

} // namespace chrysalis::ui
