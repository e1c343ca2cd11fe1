#pragma once
// The Training dock: the engine's events as a log, a progress line, and Stop
// (SIGTERM: the engine saves a checkpoint and exits 130) / Resume
// (`train --resume SERIES`). As soon as the new series has its first
// checkpoint, seriesReady() asks the window to open it; the session's
// SeriesWatcher then shows it growing.
#include "training/train_options.h"

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace chrysalis::ui {

class EngineJob;

class TrainingPanel : public QWidget {
  Q_OBJECT
public:
  explicit TrainingPanel(QWidget* parent = nullptr);

  /// Starts `chrysalis-cli train …`; false while another training runs.
  bool startTraining(const TrainOptions& options);
  /// Continues a series from its newest resume state.
  bool resume(const QString& series);
  /// Re-runs from..to of a series with a checkpoint every `every` steps
  /// (train --densify); the new checkpoints land in the series as written.
  bool densify(const QString& series, qint64 from, qint64 to, qint64 every);
  /// Whether the running (or last) job is a densify.
  bool isDensify() const { return m_densify; }
  /// The engine executable (default: locateEngine()).
  void setProgram(const QString& program) { m_program = program; }

  EngineJob* job() const { return m_job; }
  bool isRunning() const;
  QString series() const { return m_series; }
  QString logText() const;
  QString progressText() const;

Q_SIGNALS:
  void seriesReady(const QString& dir);
  /// A checkpoint after the first was written: the series can be read again
  /// now, without waiting for the folder watcher.
  void checkpointWritten(const QString& dir);
  /// A one-line summary for the status bar.
  void message(const QString& text);

private:
  bool start(const QStringList& arguments, const QString& series, bool densify);
  bool run(const QStringList& arguments, const QString& series);
  void onEvent(const QJsonObject& event);
  void onFinished(int exitCode, const QString& summary);
  void append(const QString& line);
  void updateButtons();

  EngineJob* m_job;
  QString m_program;
  QString m_series;
  bool m_announced = false;
  bool m_densify = false;
  QLabel* m_progressLine;
  QProgressBar* m_progress;
  QPushButton* m_stop;
  QPushButton* m_resume;
  QPlainTextEdit* m_log;
};

} // namespace chrysalis::ui
