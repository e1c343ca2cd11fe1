#pragma once
// The colours runs are drawn in. The session (no QtGui) gives each run an
// index; the views turn it into a colour here.
#include "runs/session.h"

#include <QColor>
#include <QVector>

namespace chrysalis::ui {

/// Colour-blind-safe run colours (Okabe & Ito), in the order runs get them;
/// kRunColours of them.
const QVector<QColor>& runPalette();

inline QColor runColour(const OpenRun& run) {
  return runPalette()[run.colour % kRunColours];
}

} // namespace chrysalis::ui
