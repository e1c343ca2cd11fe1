#include "training/import_job.h"

#include "training/engine_job.h"

#include <QFileInfo>
#include <QJsonObject>

namespace chrysalis::ui {

QStringList importArguments(const QString& source, const QString& series, bool follow) {
  QStringList args{QStringLiteral("import-hf"), source, QStringLiteral("--out"), series,
                   QStringLiteral("--json")};
  if (follow) args << QStringLiteral("--watch");
  return args;
}

ImportJob::ImportJob(QObject* parent) : QObject(parent), m_job(new EngineJob(this)) {
  connect(m_job, &EngineJob::eventReceived, this, &ImportJob::onEvent);
  connect(m_job, &EngineJob::logLine, this, &ImportJob::logLine);
  connect(m_job, &EngineJob::finished, this, [this](int exitCode, const QString& summary) {
    const QString name = QFileInfo(m_source).fileName();
    if (m_cancelled && !m_follow)
      Q_EMIT finished(QStringLiteral("Import of %1 cancelled; the checkpoints imported so far "
                                     "are kept")
                          .arg(name),
                      true);
    else if (m_follow && (exitCode == 0 || m_cancelled))
      Q_EMIT finished(QStringLiteral("Stopped following %1").arg(name), true);
    else
      Q_EMIT finished(QStringLiteral("Import of %1: %2").arg(name, summary), exitCode == 0);
  });
}

bool ImportJob::start(const QString& source, const QString& series, bool follow) {
  if (m_job->isRunning()) return false;
  m_source = source;
  m_series = series;
  m_follow = follow;
  m_cancelled = false;
  return m_job->start(importArguments(source, series, follow), m_program);
}

void ImportJob::cancel() {
  if (!m_job->isRunning()) return;
  m_cancelled = true;
  m_job->stop();
}

bool ImportJob::isRunning() const {
  return m_job->isRunning();
}

void ImportJob::onEvent(const QJsonObject& e) {
  if (!isEngineEvent(e, format::EngineEventType::Checkpoint)) return;
  Q_EMIT checkpointImported(m_series, e.value(QStringLiteral("step")).toInteger(-1),
                            e.value(QStringLiteral("done")).toInteger(0),
                            e.value(QStringLiteral("total")).toInteger(0));
}

} // namespace chrysalis::ui
