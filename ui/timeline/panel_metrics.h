#pragma once
// Which probe scalars each timeline panel plots (docs/probes.md's names), and
// how each curve is drawn.
#include "timeline/timeline_figure.h"

#include <QColor>
#include <QString>
#include <QVector>

namespace chrysalis::ui {

struct MetricSpec {
  QString kind;   ///< probe kind, e.g. "uas"
  QString scalar; ///< scalar name, e.g. "uas_all_words"
  QString name;   ///< legend text
  Qt::PenStyle style = Qt::SolidLine;
  /// Curves of one family (the context window's n = 2…10) share the run's hue
  /// on a light-to-dark ramp: index in it, or -1 for the run's own colour.
  int rampIndex = -1;
  int rampSize = 0;
  /// A scalar of the same kind counting what the curve is scored on; its last
  /// value goes into the legend ("(3482 words)"). Empty: no count.
  QString countScalar{};
  QString countUnit{};
};

/// The curves of a panel, in drawing order.
QVector<MetricSpec> panelMetrics(PanelId id);
QString panelYLabel(PanelId id);

/// Step `index` of `count` on a sequential ramp in `base`'s hue: light for
/// the first (short context), dark for the last.
QColor rampColour(const QColor& base, int index, int count);

} // namespace chrysalis::ui
