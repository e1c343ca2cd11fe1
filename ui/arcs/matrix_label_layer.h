#pragma once
// The token labels of the attention matrix view, kept as a pixmap and drawn
// again only when the sentence, the layout or the style changes. A cursor
// move changes only the cells; at 512 pieces the rotated labels took ~0.5 ms
// of each paint (docs/performance.md, "GUI scrub latency").
#include "arcs/matrix_painter.h"

#include <QPixmap>
#include <QSize>
#include <QStringList>

namespace chrysalis::ui {

class MatrixLabelLayer {
public:
  /// Draws the labels of `matrix` as paintMatrixLabels would, into a widget
  /// of `widgetSize` at `devicePixelRatio`.
  void paint(QPainter& painter, const AttentionMatrix& matrix, const MatrixGeometry& geometry,
             const MatrixStyle& style, QSize widgetSize, qreal devicePixelRatio);

private:
  struct Key {
    QStringList labels;
    QRectF cells, viewport;
    double cell = 0, labelRoom = 0;
    int labelStride = 0;
    QFont font;
    QColor text;
    QSize widgetSize;
    qreal devicePixelRatio = 0;
    bool operator==(const Key& o) const;
  };
  Key m_key;
  QPixmap m_pixmap; // transparent but for the labels, the widget's size
};

} // namespace chrysalis::ui
