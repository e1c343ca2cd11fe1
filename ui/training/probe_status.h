#pragma once
// The probe job in the status bar: what it probes, a progress bar and a
// Cancel button, shown only while a job runs (house-style §8). It only
// displays a ProbeJob; the job itself lives outside the widget.
#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace chrysalis::ui {

class ProbeJob;

class ProbeStatus : public QWidget {
  Q_OBJECT
public:
  explicit ProbeStatus(ProbeJob& job, QWidget* parent = nullptr);
  QString text() const;

private:
  void showProgress(qint64 done, qint64 total, qint64 step);

  ProbeJob& m_job;
  QLabel* m_label;
  QProgressBar* m_bar;
  QToolButton* m_cancel;
};

} // namespace chrysalis::ui
