#pragma once
// The status bar's line for the cursor: step, tokens seen, whether the
// checkpoint has weights, and which probe results exist at that step.
#include "cursor/cursor_context.h"

#include <QString>

namespace chrysalis::ui {

class Session;

/// @returns e.g. "run · step 1,200 · 157.3M tokens · weights: no · results: loss, uas".
QString statusText(const Session& session, const Cursor& cursor);

} // namespace chrysalis::ui
