#pragma once
// File dialogs open where the user last was, per purpose ("series",
// "export", "corpus", "probe-set", "blimp"), remembered in QSettings.
#include <QString>

namespace chrysalis::ui {

// The folder last used for `purpose`, or `fallback` when none is remembered
// or it no longer exists.
QString lastFolder(const QString& purpose, const QString& fallback = {});
// Remembers the folder of `path` (a folder itself, or a file in it).
void rememberFolder(const QString& purpose, const QString& path);

} // namespace chrysalis::ui
