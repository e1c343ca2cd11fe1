#pragma once
// Where the engine executable is. The app and the engine are built and
// installed side by side, so the first place to look is next to `chrysalis`;
// CHRYSALIS_CLI overrides that for a different engine build (e.g. a CUDA one),
// and PATH is the last resort.
#include <QString>

namespace chrysalis::ui {

/// @returns the absolute path of chrysalis-cli, or an empty string.
QString locateEngine();

/// The message to show when locateEngine() finds nothing.
QString engineNotFoundMessage();

} // namespace chrysalis::ui
