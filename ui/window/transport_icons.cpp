#include "window/transport_icons.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace chrysalis::ui {
namespace {

// A triangle pointing right (or left) filling the box's height.
void triangle(QPainterPath& path, const QRectF& box, bool right) {
  const double tip = right ? box.right() : box.left(), base = right ? box.left() : box.right();
  path.moveTo(base, box.top());
  path.lineTo(tip, box.center().y());
  path.lineTo(base, box.bottom());
  path.closeSubpath();
}

QPixmap draw(TransportIcon kind, const QColor& colour, int size) {
  QPixmap pixmap(size, size);
  pixmap.fill(Qt::transparent);
  QPainter p(&pixmap);
  p.setRenderHint(QPainter::Antialiasing);
  const double s = size, m = s * 0.18, top = m, bottom = s - m, h = bottom - top;
  QPainterPath path;
  switch (kind) {
  case TransportIcon::Play:
    triangle(path, QRectF(s * 0.28, top, s * 0.5, h), true);
    break;
  case TransportIcon::Pause:
    path.addRect(QRectF(s * 0.27, top, s * 0.16, h));
    path.addRect(QRectF(s * 0.57, top, s * 0.16, h));
    break;
  case TransportIcon::Next:
    triangle(path, QRectF(s * 0.14, top, s * 0.36, h), true);
    triangle(path, QRectF(s * 0.5, top, s * 0.36, h), true);
    break;
  case TransportIcon::Previous:
    triangle(path, QRectF(s * 0.14, top, s * 0.36, h), false);
    triangle(path, QRectF(s * 0.5, top, s * 0.36, h), false);
    break;
  case TransportIcon::Last:
    triangle(path, QRectF(s * 0.2, top, s * 0.48, h), true);
    path.addRect(QRectF(s * 0.68, top, s * 0.12, h));
    break;
  case TransportIcon::First:
    path.addRect(QRectF(s * 0.2, top, s * 0.12, h));
    triangle(path, QRectF(s * 0.32, top, s * 0.48, h), false);
    break;
  }
  p.fillPath(path, colour);
  return pixmap;
}

} // namespace

QIcon transportIcon(TransportIcon kind, const QColor& colour) {
  QIcon icon;
  for (int size : {16, 22, 32, 48})
    icon.addPixmap(draw(kind, colour, size));
  QColor disabled = colour;
  disabled.setAlphaF(0.4);
  for (int size : {16, 22, 32, 48})
    icon.addPixmap(draw(kind, disabled, size), QIcon::Disabled);
  return icon;
}

} // namespace chrysalis::ui
