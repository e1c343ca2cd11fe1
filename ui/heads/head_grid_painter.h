#pragma once
// Drawing a head grid with QPainter: the heatmap, layer and head labels, a
// title, the colour legend and the selected head. One function for the
// OpenGL widget, the raster fallback and the SVG/PDF/PNG export.
#include "heads/head_grid.h"

#include <QColor>
#include <QFont>
#include <QRectF>

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

/// Paints the grid; an invalid grid paints `message` instead.
void paintHeadGrid(QPainter& painter, const QRectF& area, const HeadGrid& grid, const HeadGridStyle& style,
                   int selectedLayer = -1, int selectedHead = -1, const QString& message = {});

} // namespace chrysalis::ui
