#pragma once
// Reading a run from disk. Pure functions, no threads: RunLoader calls them on
// the I/O thread, headless export and tests call them directly.
#include "data/run_data.h"
#include "data/step_arrays.h"

#include <functional>

namespace chrysalis::ui {

/// Returns true when the caller no longer wants the result.
using CancelCheck = std::function<bool()>;

/// Reads series.json, every checkpoint's attributes and every probe
/// configuration's scalars.
/// @param dir      the series folder.
/// @param previous the same run read earlier, or nullptr. Result files are
///                 immutable once published (series-format.md), so steps
///                 already in `previous` are reused and only new files are
///                 read: a live run's refresh costs one file per new step.
/// @param cancelled polled between files; a cancelled read returns early with
///                 whatever it has (the caller drops it).
/// @returns the run; unreadable result files are listed in RunData::problems.
/// @throws chrysalis::InputError when the folder is not a readable series.
RunData readRun(const QString& dir, const RunData* previous = nullptr,
                const CancelCheck& cancelled = {});

/// Reads one probe result file's arrays and strings.
/// @throws chrysalis::InputError (file and reason) when it cannot be read.
StepArrays readStepArrays(const ArrayKey& key);

} // namespace chrysalis::ui
