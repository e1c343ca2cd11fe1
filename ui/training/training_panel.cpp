#include "training/training_panel.h"

#include "training/engine_job.h"
#include "worker/json_number.h"

#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTime>
#include <QVBoxLayout>

#include <cmath>

namespace chrysalis::ui {

TrainingPanel::TrainingPanel(QWidget* parent) : QWidget(parent) {
  m_job = new EngineJob(this);
  m_progressLine = new QLabel(QStringLiteral("No training started from this window."));
  m_progressLine->setObjectName(QStringLiteral("training-progress"));
  m_progressLine->setWordWrap(true);
  m_progress = new QProgressBar;
  m_progress->setTextVisible(true);
  m_progress->hide();
  m_stop = new QPushButton(QStringLiteral("Stop"));
  m_stop->setToolTip(QStringLiteral(
      "The engine finishes its step, saves a checkpoint and a resume state, and exits"));
  m_resume = new QPushButton(QStringLiteral("Resume"));
  m_resume->setToolTip(
      QStringLiteral("Continue this series from its newest resume state (train --resume)"));
  m_log = new QPlainTextEdit;
  m_log->setObjectName(QStringLiteral("training-log"));
  m_log->setReadOnly(true);
  m_log->setMaximumBlockCount(5000);
  m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
  QFont mono(QStringLiteral("monospace"));
  mono.setStyleHint(QFont::Monospace);
  m_log->setFont(mono);

  auto* row = new QHBoxLayout;
  row->addWidget(m_progress, 1);
  row->addWidget(m_stop);
  row->addWidget(m_resume);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  layout->addWidget(m_progressLine);
  layout->addLayout(row);
  layout->addWidget(m_log, 1);

  connect(m_stop, &QPushButton::clicked, this, [this] {
    append(m_job->stopRequested()
               ? QStringLiteral("# killing the engine")
               : QStringLiteral("# stopping: the engine saves a checkpoint first"));
    m_job->stop();
    updateButtons();
  });
  connect(m_resume, &QPushButton::clicked, this, [this] { resume(m_series); });
  connect(m_job, &EngineJob::eventReceived, this, &TrainingPanel::onEvent);
  connect(m_job, &EngineJob::logLine, this, &TrainingPanel::append);
  connect(m_job, &EngineJob::finished, this, &TrainingPanel::onFinished);
  updateButtons();
}

bool TrainingPanel::isRunning() const {
  return m_job->isRunning();
}

QString TrainingPanel::logText() const {
  return m_log->toPlainText();
}

QString TrainingPanel::progressText() const {
  return m_progressLine->text();
}

bool TrainingPanel::startTraining(const TrainOptions& options) {
  return start(trainArguments(options), QFileInfo(options.outDir).absoluteFilePath(), false);
}

bool TrainingPanel::resume(const QString& series) {
  if (series.isEmpty()) return false;
  return start(resumeArguments(series), QFileInfo(series).absoluteFilePath(), false);
}

bool TrainingPanel::densify(const QString& series, qint64 from, qint64 to, qint64 every) {
  if (series.isEmpty()) return false;
  if (!start(densifyArguments(series, from, to, every), QFileInfo(series).absoluteFilePath(), true))
    return false;
  m_announced = true; // the series is open already: every checkpoint is news
  return true;
}

bool TrainingPanel::start(const QStringList& arguments, const QString& series, bool densify) {
  if (m_job->isRunning()) return run(arguments, series); // refuses, saying why
  m_densify = densify;
  return run(arguments, series);
}

bool TrainingPanel::run(const QStringList& arguments, const QString& series) {
  if (m_job->isRunning()) {
    Q_EMIT message(QStringLiteral("A training is already running: stop it first."));
    return false;
  }
  m_series = series;
  m_announced = false;
  m_progress->setRange(0, 0); // a throbber until the first step event
  m_progress->show();
  m_progressLine->setText(
      QStringLiteral("Starting %1\u2026").arg(QDir::toNativeSeparators(series)));
  const bool ok = m_job->start(arguments, m_program);
  append(QStringLiteral("$ ") +
         (ok ? m_job->commandLine()
             : QStringLiteral("chrysalis-cli ") + arguments.join(QLatin1Char(' '))));
  updateButtons();
  return ok;
}

void TrainingPanel::onEvent(const QJsonObject& e) {
  const qint64 step = e.value(QStringLiteral("step")).toInteger();
  const qint64 steps = e.value(QStringLiteral("steps")).toInteger();
  if (isEngineEvent(e, format::EngineEventType::Step)) {
    // Step events are frequent: they update the progress line, not the log.
    m_progress->setRange(0, static_cast<int>(std::max<qint64>(1, steps)));
    m_progress->setValue(static_cast<int>(step));
    const int eta = static_cast<int>(e.value(QStringLiteral("eta_s")).toDouble());
    const double loss = jsonNumber(e.value(QStringLiteral("loss")));
    m_progressLine->setToolTip(std::isfinite(loss) ? QString() : nonFiniteToolTip());
    m_progressLine->setText(
        QStringLiteral("step %1 / %2 \u00B7 loss %3 \u00B7 %4 tokens/s \u00B7 ETA %5")
            .arg(step)
            .arg(steps)
            .arg(numberText(loss, 3))
            .arg(e.value(QStringLiteral("tokens_per_s")).toDouble(), 0, 'f', 0)
            .arg(QTime(0, 0).addSecs(eta).toString(eta >= 3600 ? QStringLiteral("h:mm:ss")
                                                               : QStringLiteral("m:ss"))));
    return;
  }
  if (isEngineEvent(e, format::EngineEventType::Start)) {
    m_progress->setRange(0, static_cast<int>(std::max<qint64>(1, steps)));
    m_progress->setValue(static_cast<int>(step));
    append(QStringLiteral("started at step %1 of %2").arg(step).arg(steps));
    for (const QJsonValue& note : e.value(QStringLiteral("notes")).toArray())
      append(QStringLiteral("  ") + note.toString());
  } else if (isEngineEvent(e, format::EngineEventType::Checkpoint)) {
    append(QStringLiteral("checkpoint at step %1").arg(step));
    if (!m_announced && QFileInfo::exists(m_series + QStringLiteral("/series.json"))) {
      m_announced = true;
      Q_EMIT seriesReady(m_series);
    } else if (m_announced) {
      Q_EMIT checkpointWritten(m_series); // the watcher would also see it, later
    }
  } else if (isEngineEvent(e, format::EngineEventType::Done)) {
    append(QStringLiteral("done at step %1").arg(step));
  } else if (isEngineEvent(e, format::EngineEventType::Interrupted)) {
    append(QStringLiteral("interrupted at step %1 (checkpoint and resume state saved)").arg(step));
  } else if (isEngineEvent(e, format::EngineEventType::DensifyDone)) {
    auto listed = [&](const char* key) {
      QStringList out;
      for (const QJsonValue& v : e.value(QLatin1String(key)).toArray())
        out << QString::number(v.toInteger());
      return out.isEmpty() ? QStringLiteral("none") : out.join(QStringLiteral(", "));
    };
    append(QStringLiteral("densify: resumed from step %1; added %2")
               .arg(e.value(QStringLiteral("resumed_from")).toInteger())
               .arg(listed("added")));
    append(
        QStringLiteral("densify: equal to the original bit for bit at %1").arg(listed("matched")));
    if (!e.value(QStringLiteral("differed")).toArray().isEmpty())
      append(QStringLiteral("densify: DIFFERS from the original at %1 (originals kept)")
                 .arg(listed("differed")));
  } else if (isEngineEvent(e, format::EngineEventType::Error)) {
    append(QStringLiteral("error: ") + e.value(QStringLiteral("message")).toString());
  } else {
    append(QString::fromUtf8(QJsonDocument(e).toJson(QJsonDocument::Compact)));
  }
}

void TrainingPanel::onFinished(int exitCode, const QString& summary) {
  append(QStringLiteral("# ") + summary +
         (exitCode >= 0 ? QStringLiteral(" (exit %1)").arg(exitCode) : QString()));
  m_progress->hide();
  m_progressLine->setText(
      QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(m_series), summary));
  updateButtons();
  Q_EMIT message(QStringLiteral("Training %1: %2").arg(QFileInfo(m_series).fileName(), summary));
}

void TrainingPanel::append(const QString& line) {
  m_log->appendPlainText(QTime::currentTime().toString(QStringLiteral("HH:mm:ss ")) + line);
}

void TrainingPanel::updateButtons() {
  const bool running = m_job->isRunning();
  m_stop->setEnabled(running);
  m_stop->setText(running && m_job->stopRequested() ? QStringLiteral("Kill")
                                                    : QStringLiteral("Stop"));
  m_resume->setEnabled(!running && !m_series.isEmpty() &&
                       QFileInfo::exists(m_series + QStringLiteral("/series.json")));
}

} // namespace chrysalis::ui
