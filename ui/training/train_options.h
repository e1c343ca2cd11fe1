#pragma once
// What the Train dialog asks for, and the chrysalis-cli command lines it
// makes (docs/training.md): one pure function per command, so the exact
// arguments are tested without starting anything.
#include "worker/ablation_result.h"

#include <QString>
#include <QStringList>

namespace chrysalis::ui {

enum class TrainSchedule {
  Baseline,      ///< λ = 0
  SasPlus,       ///< λ < 0: promote syntactic attention
  SasMinus,      ///< λ > 0: suppress it
  SuppressUntil, ///< SAS−(N): suppress until step N, then λ = 0
};

struct TrainOptions {
  QString preset = QStringLiteral("demo"); ///< tiny, demo, small, base
  QStringList corpus;                      ///< CoNLL-U or raw text files
  TrainSchedule schedule = TrainSchedule::Baseline;
  double lambda = 0.01; ///< its size; the schedule gives the sign
  qint64 suppressUntil = 300;
  qint64 steps = 0; ///< 0: the preset's
  quint64 seed = 1;
  QString outDir; ///< the new series folder
  QString label;  ///< empty: the engine's default
};

/// The schedule's name on the command line (baseline, sas+, sas-).
QString scheduleFlag(TrainSchedule schedule);

/// Empty when the options can start a run, else what to fix (one line).
QString validateTrainOptions(const TrainOptions& options);

/// `train OUT --preset P --data F… [--schedule …] … --json`: the arguments
/// after the program, in a fixed order.
QStringList trainArguments(const TrainOptions& options);
/// `train --resume SERIES --json` (a resumed run keeps its configuration).
QStringList resumeArguments(const QString& series);
/// `train --densify SERIES --from F --to T --every K --json` (docs/training.md).
QStringList densifyArguments(const QString& series, qint64 from, qint64 to, qint64 every);
/// The probes the app computes for a run: loss, uas, attn, twonn.
QStringList defaultProbeKinds();
/// `probe SERIES --probe-set P --probes loss,uas,attn,twonn --order coarse-to-fine
/// [--first-step S] --json`: the coarse checkpoints first, so the timelines fill
/// in evenly, and before them the one at (or newest before) `firstStep` when >= 0.
QStringList probeArguments(const QString& series, const QString& probeSet, qint64 firstStep = -1);
/// `probe SERIES --probe-set P --probes ablation --ablate-heads H --ablate-mode M
/// --min-relation-count N --order coarse-to-fine [--first-step S] --json`: the
/// ablation timeline with the configuration the worker's "Ablate at Cursor"
/// uses, so both fill one probe store entry.
QStringList ablationProbeArguments(const AblationKey& key, qint64 firstStep = -1);

} // namespace chrysalis::ui
