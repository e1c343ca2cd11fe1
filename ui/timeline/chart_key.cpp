#include "timeline/chart_key.h"

#include <QFontMetricsF>
#include <QPainter>

namespace chrysalis::ui {
namespace {
double sampleWidth(const QFontMetricsF& fm, const KeyEntry& e) {
  return e.symbol.isEmpty() ? 1.8 * fm.height() : fm.horizontalAdvance(e.symbol);
}
} // namespace

ChartKey::ChartKey(QGraphicsItem* parent) : QGraphicsItem(parent) {}

void ChartKey::setEntries(const QVector<KeyEntry>& entries, const QFont& font, const QColor& text) {
  prepareGeometryChange();
  m_entries = entries;
  m_font = font;
  m_text = text;
  m_positions.clear();
  m_bounds = {};
}

double ChartKey::layoutFor(double width) {
  prepareGeometryChange();
  const QFontMetricsF fm(m_font);
  const double h = fm.height();
  m_positions.clear();
  double x = 0, y = 0, widest = 0;
  for (const KeyEntry& e : std::as_const(m_entries)) {
    const double w = sampleWidth(fm, e) + 0.35 * h + fm.horizontalAdvance(e.text);
    if (x > 0 && x + w > width) {
      x = 0;
      y += h;
    }
    m_positions << QPointF(x, y);
    widest = std::max(widest, x + w);
    x += w + 1.1 * h;
  }
  m_bounds = m_entries.isEmpty() ? QRectF() : QRectF(0, 0, widest, y + h);
  return m_bounds.height();
}

QRectF ChartKey::boundingRect() const {
  return m_bounds;
}

void ChartKey::paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*) {
  const QFontMetricsF fm(m_font);
  const double h = fm.height();
  p->setFont(m_font);
  for (int i = 0; i < m_entries.size() && i < m_positions.size(); ++i) {
    const KeyEntry& e = m_entries[i];
    const QPointF at = m_positions[i];
    const double sw = sampleWidth(fm, e);
    if (e.symbol.isEmpty()) {
      p->setPen(e.pen);
      p->drawLine(QPointF(at.x(), at.y() + h / 2), QPointF(at.x() + sw, at.y() + h / 2));
    } else {
      p->setPen(e.pen.color());
      p->drawText(QRectF(at.x(), at.y(), sw, h), Qt::AlignCenter, e.symbol);
    }
    p->setPen(m_text);
    p->drawText(QRectF(at.x() + sw + 0.35 * h, at.y(), fm.horizontalAdvance(e.text) + 1, h),
                Qt::AlignLeft | Qt::AlignVCenter, e.text);
  }
}

} // namespace chrysalis::ui
