#pragma once
// The path probe's curve at the cursor (docs/method.md, "Loss along the
// path"): the held-out loss at nine points on the straight line from the
// previous checkpoint with weights to the one at (or before) the cursor,
// one curve per visible run, drawn as an inset over the Loss Path panel.
#include <QColor>
#include <QFont>
#include <QString>
#include <QVector>

class QPainter;
class QRectF;

namespace chrysalis::ui {

struct RunData;

struct PathCurve {
  QColor colour;
  QString runLabel;
  qint64 from = -1, to = -1; ///< the segment's checkpoints
  QVector<double> loss;      ///< at α = 0, 1/8, …, 1
};

/// The run's path curve at the newest path result at or before `step`, or
/// an empty curve (no result, or an incomplete one).
PathCurve pathCurveAt(const RunData& run, qint64 step);

/// Paints the curves in `box` (loss against α, one shared scale), with a
/// caption naming the segment; nothing when there are none.
void paintPathInset(QPainter& painter, const QRectF& box, const QVector<PathCurve>& curves,
                    const QFont& font, const QColor& text, const QColor& background);

} // namespace chrysalis::ui
