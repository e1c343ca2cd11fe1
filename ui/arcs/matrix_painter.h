#pragma once
// Drawing an attention matrix with QPainter: one function for the widget and
// for the SVG/PDF/PNG export. Cells on the sequential colour map from 0 to
// the map's largest value (stated after the title and on a colour bar);
// token labels on the left and, rotated, on top (every k-th one when cells
// are smaller than a line); at word level the gold parents outlined, at piece
// level thin gaps where one word's pieces end and the next word's begin.
#include "arcs/attention_matrix.h"

#include <QColor>
#include <QFont>
#include <QPoint>
#include <QRectF>

class QPainter;

namespace chrysalis::ui {

struct MatrixStyle {
  QFont font; ///< pixel size set
  QColor background = Qt::white;
  QColor text = Qt::black;
  /// Cells as one image of a pixel per cell, scaled up (the screen: one draw
  /// instead of W^2); false, a rectangle per cell (SVG/PDF stay vector).
  bool cellsAsImage = false;
  /// Draw the token labels; false: the caller draws them (paintMatrixLabels),
  /// e.g. from a pixmap kept while only the cells change.
  bool labels = true;

  /// Black on white at a point size, in figure units (kUnitsPerPoint per point).
  static MatrixStyle forPaper(const QString& family, double points, double unitsPerPoint);
};

/// Where the title, the labels and the cells go.
struct MatrixGeometry {
  QRectF title;
  QRectF cells;    ///< all cells; larger than the viewport when zoomed in
  QRectF viewport; ///< the part of the widget the cells are seen through
  QRectF bar;      ///< the colour bar, 0 at the bottom, the maximum at the top
  double cell = 0;
  bool labels = false;
  int labelStride = 1;  ///< label every k-th token, so labels never overlap
  double labelRoom = 0; ///< how long a label may be, left of and above the cells
  double barEnd = 0;    ///< right end of the colour bar's labels

  QRectF cellRect(int row, int column) const {
    return {cells.left() + column * cell, cells.top() + row * cell, cell, cell};
  }
  /// (column, row) of the cell under `p`, or (-1, -1) outside the visible cells.
  QPoint cellAt(const QPointF& p, int size) const;
  /// Everything drawn, from the origin: the size of a figure.
  QSizeF extent() const;

  /// Fits the matrix under a title row of `titleHeight` into `area` (a
  /// widget), with label gutters and a colour bar. `zoom` ≥ 1 enlarges the
  /// cells behind the viewport; `pan` is the viewport's offset into them.
  static MatrixGeometry fit(const AttentionMatrix& matrix, const QFont& font, const QSizeF& area,
                            double titleHeight, double zoom = 1.0, QPointF pan = {});
  /// Cells a line of text tall with every label: the natural size of a figure.
  static MatrixGeometry natural(const AttentionMatrix& matrix, const QFont& font);
};

/// Paints the title line, the cells, the labels and the outlines.
void paintMatrix(QPainter& painter, const AttentionMatrix& matrix, const MatrixGeometry& geometry,
                 const MatrixStyle& style);
/// Paints only the token labels: on the left, and rotated on top.
void paintMatrixLabels(QPainter& painter, const AttentionMatrix& matrix,
                       const MatrixGeometry& geometry, const MatrixStyle& style);

} // namespace chrysalis::ui
