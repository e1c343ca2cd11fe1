#pragma once
// Where the BLiMP files of a run are, when nobody said: probe results name
// the pairs only by a hash, so the app looks where the bundled demo keeps
// them (resources/demo/data/blimp beside its series folders) and where a
// cluster run keeps a copy.
#include <QString>
#include <QStringList>

namespace chrysalis::ui {

/// Folders holding *.jsonl to try, best first: SERIES/data/blimp,
/// SERIES/blimp, then the same beside the series folder (SERIES/../data/blimp,
/// SERIES/../blimp). Only existing folders with a .jsonl file are listed.
QStringList blimpDirCandidates(const QString& seriesDir);

/// The first candidate, or an empty string.
QString findBlimpDir(const QString& seriesDir);

} // namespace chrysalis::ui
