#pragma once
// Where the user guide (docs/guide.md) lives: installed under
// <prefix>/share/doc/chrysalis (next to <prefix>/bin/chrysalis), or, when
// running from a build tree, in the source tree's docs/.
#include <QString>

namespace chrysalis::ui {

// The guide's path, or an empty string when neither place has it.
QString locateUserGuide();

} // namespace chrysalis::ui
