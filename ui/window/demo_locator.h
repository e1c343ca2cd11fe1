#pragma once
// Where the bundled demo series live: installed under
// <prefix>/share/chrysalis/demo (next to <prefix>/bin/chrysalis), or, when
// running from a build tree, in the source tree's resources/demo.
#include <QString>
#include <QStringList>

namespace chrysalis::ui {

// The demo folder, or an empty string when neither place has it.
QString locateDemoFolder();

// The series folders (those holding a series.json) inside the demo folder.
QStringList demoSeries();

} // namespace chrysalis::ui
