#pragma once
// The dependency arcs of one probe sentence for a headless export: finds the
// probe set and the sentence, checks the checkpoint has weights, asks the
// engine worker (`chrysalis-cli serve`, found as the app finds it) for the
// attention and waits for it. The only blocking use of the worker: a
// headless export has no window to keep responsive.
#include "arcs/arc_parse.h"

#include <QString>

namespace chrysalis::ui {

struct RunData;

struct ArcsRequest {
  QString sentence; ///< the sentence's id, else its number in the probe set (from 1)
  QString head;     ///< "L-H", both from 1 as the app shows them
  qint64 step = -1; ///< a checkpoint with weights
  QString probeSet; ///< the probe set file; empty: found beside the series
  ArcDirection direction = ArcDirection::DepToHead;
  QString engine; ///< chrysalis-cli; empty: locateEngine()
  int timeoutMs = 300'000;
};

/// @returns the scene with its prediction, or an empty scene and `error` set
///          to one line (no probe set, no such sentence or head, no weights at
///          the step, no engine, or the engine's own error).
ArcScene loadArcScene(const RunData& run, const ArcsRequest& request, QString* error);

} // namespace chrysalis::ui
