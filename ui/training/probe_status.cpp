#include "training/probe_status.h"

#include "training/engine_job.h"
#include "training/train_options.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>

namespace chrysalis::ui {

ProbeStatus::ProbeStatus(QWidget* parent) : QWidget(parent) {
  m_job = new EngineJob(this);
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

  connect(m_cancel, &QToolButton::clicked, this, &ProbeStatus::cancel);
  connect(m_job, &EngineJob::eventReceived, this, &ProbeStatus::onEvent);
  connect(m_job, &EngineJob::finished, this, [this](int, const QString& summary) {
    hide();
    Q_EMIT finished(QStringLiteral("Probing %1: %2").arg(QFileInfo(m_series).fileName(), summary));
  });
}

bool ProbeStatus::start(const QString& series, const QString& probeSet, qint64 firstStep) {
  if (m_job->isRunning()) return false;
  m_series = series;
  m_bar->setRange(0, 0); // a throbber until the engine knows how many checkpoints
  m_label->setText(QStringLiteral("Probing %1\u2026").arg(QFileInfo(series).fileName()));
  m_cancel->setEnabled(true);
  show();
  return m_job->start(probeArguments(series, probeSet, firstStep), m_program);
}

void ProbeStatus::cancel() {
  m_cancel->setEnabled(false);
  m_label->setText(QStringLiteral("Stopping after the current checkpoint\u2026"));
  m_job->stop();
}

bool ProbeStatus::isRunning() const {
  return m_job->isRunning();
}

QString ProbeStatus::text() const {
  return m_label->text();
}

void ProbeStatus::onEvent(const QJsonObject& e) {
  if (e.value(QStringLiteral("event")).toString() == QLatin1String("step_done"))
    Q_EMIT resultsWritten(m_series);
  const qint64 done = e.value(QStringLiteral("done")).toInteger();
  const qint64 total = e.value(QStringLiteral("total")).toInteger();
  if (total > 0) {
    m_bar->setRange(0, static_cast<int>(total));
    m_bar->setValue(static_cast<int>(done));
  }
  if (!m_cancel->isEnabled()) return; // keep "Stopping…" visible
  const QString name = QFileInfo(m_series).fileName();
  if (e.value(QStringLiteral("event")).toString() == QLatin1String("step_done"))
    m_label->setText(QStringLiteral("Probing %1: step %2 (%3/%4)")
                         .arg(name)
                         .arg(e.value(QStringLiteral("step")).toInteger())
                         .arg(done)
                         .arg(total));
  else if (total > 0)
    m_label->setText(
        QStringLiteral("Probing %1: %2/%3 checkpoints").arg(name).arg(done).arg(total));
}

} // namespace chrysalis::ui
