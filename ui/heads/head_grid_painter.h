#pragma once
// Drawing a head grid with QPainter: the heatmap, layer and head labels, a
// title, the colour legend and the selected head. One function for the
// OpenGL widget, the raster fallback and the SVG/PDF/PNG export.
#include "heads/head_grid.h"

#include <QColor>
#include <QFont>
#include <QPoint>
#include <QRectF>
#include <QVector>

#include <utility>
#include <vector>

class QPainter;

namespace chrysalis::ui {

struct HeadGridStyle {
  QFont font; ///< pixel size set (as ChartStyle)
  QColor background = Qt::white;
  QColor text = Qt::black;
  QColor selection = Qt::black;
  double lineWidth = 1.0;
};

/// Where each part goes inside an area; also answers hit tests.
struct HeadGridLayout {
  QRectF area;
  QRectF title;
  QRectF cells;  ///< the heatmap itself
  QRectF legend; ///< the colour bar
  int layers = 0;
  int heads = 0;

  QRectF cell(int layer, int head) const;
  /// @returns true and the cell under `pos`, false outside the heatmap.
  bool cellAt(const QPointF& pos, int* layer, int* head) const;
};

HeadGridLayout layoutHeadGrid(const QRectF& area, const HeadGrid& grid, const QFont& font);

/// The most lines a title wraps to; a longer one is elided at its end.
inline constexpr int kHeadGridTitleMaxLines = 3;
/// Lines the bold title takes at this width: 1, or up to
/// kHeadGridTitleMaxLines when it must wrap (a comparison's "A − B at step S").
int headGridTitleLines(const HeadGrid& grid, const QFont& font, double width);
/// The title box's height for that many lines of `lineHeight`.
double headGridTitleHeight(int lines, double lineHeight);

/// The colour bar's labelled ticks as {fraction of the bar from the bottom,
/// value}: both ends first, then the middle (linear) or powers of ten (log),
/// each kept only when at least 1.1 lines from every kept one.
std::vector<std::pair<double, double>> headGridLegendTicks(const HeadGrid& grid,
                                                           double legendHeight, double lineHeight);

/// Paints the grid; an invalid grid paints `message` instead.
/// Heads in `ablationSelection` ((layer, head), marked to ablate together) get a
/// dashed outline.
void paintHeadGrid(QPainter& painter, const QRectF& area, const HeadGrid& grid,
                   const HeadGridStyle& style, int selectedLayer = -1, int selectedHead = -1,
                   const QString& message = {}, const QVector<QPoint>& ablationSelection = {});

} // namespace chrysalis::ui
