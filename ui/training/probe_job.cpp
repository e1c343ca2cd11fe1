#include "training/probe_job.h"

#include "training/engine_job.h"
#include "training/train_options.h"

#include <QFileInfo>

namespace chrysalis::ui {

ProbeJob::ProbeJob(QObject* parent) : QObject(parent), m_job(new EngineJob(this)) {
  connect(m_job, &EngineJob::eventReceived, this, &ProbeJob::onEvent);
  connect(m_job, &EngineJob::finished, this, [this](int, const QString& summary) {
    Q_EMIT finished(QStringLiteral("Probing %1: %2").arg(QFileInfo(m_series).fileName(), summary));
  });
}

bool ProbeJob::start(const QString& series, const QString& probeSet, qint64 firstStep) {
  return startWith(series, probeArguments(series, probeSet, firstStep));
}

bool ProbeJob::startWith(const QString& series, const QStringList& arguments) {
  if (m_job->isRunning()) return false;
  m_series = series;
  Q_EMIT started(series);
  return m_job->start(arguments, m_program);
}

void ProbeJob::cancel() {
  if (!m_job->isRunning()) return;
  Q_EMIT stopping();
  m_job->stop();
}

bool ProbeJob::isRunning() const {
  return m_job->isRunning();
}

void ProbeJob::onEvent(const QJsonObject& e) {
  const bool written = isEngineEvent(e, format::EngineEventType::StepDone);
  const qint64 total = e.value(QStringLiteral("total")).toInteger(-1);
  if (total > 0 || written)
    Q_EMIT progressed(e.value(QStringLiteral("done")).toInteger(), total,
                      written ? e.value(QStringLiteral("step")).toInteger(-1) : -1);
  if (written) Q_EMIT resultsWritten(m_series);
}

} // namespace chrysalis::ui
