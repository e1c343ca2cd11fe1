#pragma once
// Which probe result file a head grid reads for a run at the cursor: the
// newest result at or before the cursor step (results can be sparser than
// checkpoints; showing the last known state beats showing nothing).
#include "data/run_data.h"
#include "data/step_arrays.h"
#include "heads/head_grid.h"

namespace chrysalis::ui {

/// @returns the newest of `steps` (ascending) that is <= step, else the first; -1 when empty.
qint64 resultStepAtOrBefore(const QVector<qint64>& steps, qint64 step);

/// @returns the arrays to read for the quantity at the cursor step; invalid
///          (isValid() false) when the run has no results of that kind.
ArrayKey headArrayKey(const RunData& run, HeadQuantity quantity, qint64 cursorStep);

/// Reads synchronously and builds the grid (headless export); emergence
/// reads every step and uses the default detector, as `chrysalis-cli onsets`.
/// @param error set to a one-line reason on failure.
HeadGrid loadHeadGrid(const RunData& run, qint64 step, const HeadQuery& query, QString* error);

} // namespace chrysalis::ui
