#include "training/train_options.h"

#include <QFileInfo>

#include <cmath>

namespace chrysalis::ui {

QString scheduleFlag(TrainSchedule schedule) {
  switch (schedule) {
  case TrainSchedule::Baseline:
    return QStringLiteral("baseline");
  case TrainSchedule::SasPlus:
    return QStringLiteral("sas+");
  case TrainSchedule::SasMinus:
  case TrainSchedule::SuppressUntil:
    return QStringLiteral("sas-");
  }
  return QStringLiteral("baseline");
}

QString validateTrainOptions(const TrainOptions& o) {
  if (o.outDir.trimmed().isEmpty()) return QStringLiteral("Choose a folder for the new series.");
  if (QFileInfo::exists(o.outDir + QStringLiteral("/series.json")))
    return QStringLiteral("%1 already holds a series: resume it instead, or choose a new folder.")
        .arg(o.outDir);
  if (o.corpus.isEmpty())
    return QStringLiteral("Add at least one corpus file (CoNLL-U or raw text).");
  for (const QString& f : o.corpus)
    if (!QFileInfo(f).isFile()) return QStringLiteral("Corpus file not found: %1").arg(f);
  if (o.schedule != TrainSchedule::Baseline && !(std::abs(o.lambda) > 0))
    return QStringLiteral("SAS schedules need \u03BB > 0.");
  if (o.schedule == TrainSchedule::SuppressUntil && o.suppressUntil <= 0)
    return QStringLiteral("Suppress until a step after 0.");
  if (o.schedule == TrainSchedule::SuppressUntil && o.steps > 0 && o.suppressUntil >= o.steps)
    return QStringLiteral(
               "Suppression would last the whole run: choose a step before %1, or SAS\u2212.")
        .arg(o.steps);
  return {};
}

QStringList trainArguments(const TrainOptions& o) {
  QStringList a{QStringLiteral("train"), o.outDir, QStringLiteral("--preset"), o.preset};
  // --data once per file: an option that takes several values would swallow
  // whatever came after it.
  for (const QString& f : o.corpus)
    a << QStringLiteral("--data") << f;
  a << QStringLiteral("--schedule") << scheduleFlag(o.schedule);
  if (o.schedule != TrainSchedule::Baseline)
    a << QStringLiteral("--lambda") << QString::number(std::abs(o.lambda), 'g', 10);
  if (o.schedule == TrainSchedule::SuppressUntil)
    a << QStringLiteral("--suppress-until") << QString::number(o.suppressUntil);
  if (o.steps > 0) a << QStringLiteral("--steps") << QString::number(o.steps);
  a << QStringLiteral("--seed") << QString::number(o.seed);
  if (!o.label.trimmed().isEmpty()) a << QStringLiteral("--label") << o.label.trimmed();
  a << QStringLiteral("--json");
  return a;
}

QStringList resumeArguments(const QString& series) {
  return {QStringLiteral("train"), QStringLiteral("--resume"), series, QStringLiteral("--json")};
}

QStringList densifyArguments(const QString& series, qint64 from, qint64 to, qint64 every) {
  return {QStringLiteral("train"),  QStringLiteral("--densify"), series,
          QStringLiteral("--from"), QString::number(from),       QStringLiteral("--to"),
          QString::number(to),      QStringLiteral("--every"),   QString::number(every),
          QStringLiteral("--json")};
}

QStringList defaultProbeKinds() {
  return {QStringLiteral("loss"), QStringLiteral("uas"), QStringLiteral("attn"),
          QStringLiteral("twonn")};
}

QStringList ablationProbeArguments(const AblationKey& key, qint64 firstStep) {
  QStringList a{QStringLiteral("probe"),
                key.series,
                QStringLiteral("--probe-set"),
                key.probeSet,
                QStringLiteral("--probes"),
                QStringLiteral("ablation"),
                QStringLiteral("--ablate-heads"),
                key.heads,
                QStringLiteral("--ablate-mode"),
                key.mode,
                QStringLiteral("--min-relation-count"),
                QString::number(key.minRelationCount),
                QStringLiteral("--order"),
                QStringLiteral("coarse-to-fine")};
  if (firstStep >= 0) a << QStringLiteral("--first-step") << QString::number(firstStep);
  return a << QStringLiteral("--json");
}

QStringList probeArguments(const QString& series, const QString& probeSet, qint64 firstStep) {
  QStringList a{QStringLiteral("probe"),       series,
                QStringLiteral("--probe-set"), probeSet,
                QStringLiteral("--probes"),    defaultProbeKinds().join(QLatin1Char(',')),
                QStringLiteral("--order"),     QStringLiteral("coarse-to-fine")};
  if (firstStep >= 0) a << QStringLiteral("--first-step") << QString::number(firstStep);
  return a << QStringLiteral("--json");
}

} // namespace chrysalis::ui
