#include "training/probe_status.h"

#include "training/probe_job.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>

namespace chrysalis::ui {

ProbeStatus::ProbeStatus(ProbeJob& job, QWidget* parent) : QWidget(parent), m_job(job) {
  m_label = new QLabel;
  m_label->setObjectName(QStringLiteral("probe-status"));
  m_bar = new QProgressBar;
  m_bar->setMaximumWidth(160);
  m_bar->setRange(0, 0);
  m_cancel = new QToolButton;
  m_cancel->setText(QStringLiteral("Cancel"));
  m_cancel->setToolTip(QStringLiteral("Stop probing; finished results are kept"));
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_label);
  layout->addWidget(m_bar);
  layout->addWidget(m_cancel);
  hide();

  connect(m_cancel, &QToolButton::clicked, &m_job, &ProbeJob::cancel);
  connect(&m_job, &ProbeJob::started, this, [this](const QString& series) {
    m_bar->setRange(0, 0); // a throbber until the engine knows how many checkpoints
    m_label->setText(QStringLiteral("Probing %1\u2026").arg(QFileInfo(series).fileName()));
    m_cancel->setEnabled(true);
    show();
  });
  connect(&m_job, &ProbeJob::progressed, this, &ProbeStatus::showProgress);
  connect(&m_job, &ProbeJob::stopping, this, [this] {
    m_cancel->setEnabled(false);
    m_label->setText(QStringLiteral("Stopping after the current checkpoint\u2026"));
  });
  connect(&m_job, &ProbeJob::finished, this, &QWidget::hide);
}

QString ProbeStatus::text() const {
  return m_label->text();
}

void ProbeStatus::showProgress(qint64 done, qint64 total, qint64 step) {
  if (total > 0) {
    m_bar->setRange(0, static_cast<int>(total));
    m_bar->setValue(static_cast<int>(done));
  }
  if (!m_cancel->isEnabled()) return; // keep "Stopping…" visible
  const QString name = QFileInfo(m_job.series()).fileName();
  if (step >= 0)
    m_label->setText(
        QStringLiteral("Probing %1: step %2 (%3/%4)").arg(name).arg(step).arg(done).arg(total));
  else if (total > 0)
    m_label->setText(
        QStringLiteral("Probing %1: %2/%3 checkpoints").arg(name).arg(done).arg(total));
}

} // namespace chrysalis::ui
