#pragma once
// View ▸ Group Runs by Seed: the open runs partitioned into seed groups.
#include "runs/session.h"

#include <QVector>

namespace chrysalis::ui {

/// Runs grouped by RunData::seedGroupKey, each group in the order of its first
/// run, runs in their own order within a group. A run without a key (unknown
/// training configuration) is a group of its own.
QVector<QVector<const OpenRun*>> groupBySeed(const QVector<const OpenRun*>& runs);

/// "baseline (3 seeds)": the first run's label without its seed, and the count.
QString seedGroupLabel(const QVector<const OpenRun*>& group);

} // namespace chrysalis::ui
