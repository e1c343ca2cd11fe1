#include "arcs/matrix_label_layer.h"

#include <QPainter>

namespace chrysalis::ui {

bool MatrixLabelLayer::Key::operator==(const Key& o) const {
  return cells == o.cells && viewport == o.viewport && cell == o.cell && labelRoom == o.labelRoom &&
         labelStride == o.labelStride && font == o.font && text == o.text &&
         widgetSize == o.widgetSize && devicePixelRatio == o.devicePixelRatio && labels == o.labels;
}

void MatrixLabelLayer::paint(QPainter& painter, const AttentionMatrix& matrix,
                             const MatrixGeometry& geometry, const MatrixStyle& style,
                             QSize widgetSize, qreal devicePixelRatio) {
  if (!matrix.isValid() || !geometry.labels || widgetSize.isEmpty()) return;
  Key key{matrix.labels,      geometry.cells,       geometry.viewport, geometry.cell,
          geometry.labelRoom, geometry.labelStride, style.font,        style.text,
          widgetSize,         devicePixelRatio};
  if (m_pixmap.isNull() || !(key == m_key)) {
    m_pixmap = QPixmap(widgetSize * devicePixelRatio);
    m_pixmap.setDevicePixelRatio(devicePixelRatio);
    m_pixmap.fill(Qt::transparent);
    QPainter p(&m_pixmap);
    paintMatrixLabels(p, matrix, geometry, style);
    m_key = std::move(key);
  }
  // Only the gutters left of and above the cells hold labels: blending the
  // rest of a transparent widget-sized pixmap would cost as much as drawing.
  const QRectF view = geometry.viewport.isEmpty() ? geometry.cells : geometry.viewport;
  const QRectF left(0, 0, view.left(), widgetSize.height());
  const QRectF above(view.left(), 0, widgetSize.width() - view.left(), view.top());
  for (const QRectF& r : {left, above})
    if (!r.isEmpty())
      painter.drawPixmap(r, m_pixmap,
                         QRectF(r.topLeft() * devicePixelRatio, r.size() * devicePixelRatio));
}

} // namespace chrysalis::ui
