#pragma once
// Where a run's probe set is, when nobody said: probes name their probe set
// only by hash, so the app looks where people put it. The bundled demo keeps
// resources/demo/probe-set.h5 beside its series folders; a cluster run often
// keeps a copy inside its folder.
#include <QString>
#include <QStringList>

#include <functional>

class QDir;

namespace chrysalis::ui {

/// Files to try, best first: SERIES/probe-set.h5, SERIES/*.probeset.h5, then
/// the same beside the series folder (SERIES/../probe-set.h5, …). Only
/// existing files are listed.
QStringList probeSetCandidates(const QString& seriesDir);

/// Runs `addFrom` on the series folder, then on the folder above it, and
/// returns what it added without repeats (shared by the probe set and BLiMP
/// locators).
QStringList
seriesAndParentCandidates(const QString& seriesDir,
                          const std::function<void(const QDir&, QStringList&)>& addFrom);

/// The first candidate, or an empty string.
QString findProbeSet(const QString& seriesDir);

} // namespace chrysalis::ui
