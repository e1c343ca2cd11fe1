#pragma once
// Runs that differ only by seed, summarised: the mean curve and the min–max
// band across seeds. Both are taken only at steps where every seed has a
// value, so the mean never silently drops a seed that has not reached a step.
#include "data/run_data.h"

#include <QVector>

namespace chrysalis::ui {

struct SeedBand {
  Timeline mean; ///< mean across seeds
  Timeline low;  ///< minimum across seeds (same steps)
  Timeline high; ///< maximum across seeds (same steps)
};

/// Mean, minimum and maximum of one scalar across seeds, at each step where
/// every seed has a finite value.
SeedBand seedBand(const QVector<const RunData*>& seeds, const QString& kind, const QString& scalar);

/// A run holding the seeds' mean of every probe scalar and of the training
/// loss (NaN where some seed lacks a value), labelled `label`. Its onsets are
/// the onsets of the mean curves.
RunData seedMeanRun(const QVector<const RunData*>& seeds, const QString& label);

} // namespace chrysalis::ui
