#pragma once
// The arc diagram as a paper figure (SVG, PDF or PNG through the export
// figure writer), at its natural size for the chosen font: a long sentence
// makes a wide figure rather than a squashed one. Its CSV lists each word's
// gold and predicted parent. For a fixed width (headless export, the
// multi-panel figure) the diagram is scaled down to fit, never up, so the
// chosen font size is the largest it is drawn at.
#include "arcs/arc_layout.h"
#include "arcs/arc_painter.h"
#include "export/export_options.h"
#include "export/figure_writer.h"

namespace chrysalis::ui {

/// The diagram laid out in the paper style of `options`, in figure units.
struct PaperArcs {
  ArcStyle style;
  ArcLayout layout;
  /// A key under the diagram saying what the arc colours mean (with a
  /// prediction only), in figure units; 0 without one.
  double legendHeight = 0;
  QSizeF naturalPoints() const {
    return {layout.width / kUnitsPerPoint, (layout.height + legendHeight) / kUnitsPerPoint};
  }
};
PaperArcs paperArcs(const ArcScene& scene, const ExportOptions& options);

/// Paints the diagram into `area` (figure units), scaled down to fit its width
/// when wider, and centred.
void paintArcsInto(QPainter& painter, const QRectF& area, const ArcScene& scene,
                   const PaperArcs& arcs);

/// @param fitWidth false: the natural size; true: options.widthInches wide
///        (height from the scaled diagram unless options.heightInches).
FigureDrawing arcFigureDrawing(const ArcScene& scene, const ExportOptions& options, bool fitWidth);

/// A CSV field, quoted when it holds a comma or a quote.
QString csvField(const QString& s);

/// Each word's gold and predicted parent (word,form,gold_head,relation,predicted_head,correct).
QString exportArcCsv(const ArcScene& scene, const QString& csvPath);

/// Writes the figure and, when options.writeCsv, the CSV beside it.
/// @returns an empty string, or a one-line error naming the file.
QString exportArcFigure(const ArcScene& scene, const ExportOptions& options, const QString& path,
                        bool fitWidth = false);

} // namespace chrysalis::ui
