#include "arcs/attention_matrix_view.h"

#include "heads/color_map.h"

#include <QFontMetricsF>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace chrysalis::ui {

AttentionMatrixView::AttentionMatrixView(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("attention-matrix"));
  setMouseTracking(true);
}

void AttentionMatrixView::setMatrix(const QStringList& labels, const QVector<float>& values,
                                    const QVector<int>& gold, const QString& title) {
  const qsizetype w = labels.size();
  if (values.size() != w * w) {
    m_labels.clear();
    m_values.clear();
  } else {
    m_labels = labels;
    m_values = values;
  }
  m_gold = gold;
  m_title = title;
  m_message.clear();
  m_max = 0.0f;
  for (float v : m_values)
    if (std::isfinite(v)) m_max = std::max(m_max, v);
  update();
}

void AttentionMatrixView::setPending(bool pending) {
  if (pending == m_pending) return;
  m_pending = pending;
  update();
}

void AttentionMatrixView::setMessage(const QString& message) {
  m_labels.clear();
  m_values.clear();
  m_message = message;
  update();
}

AttentionMatrixView::Geometry AttentionMatrixView::geometry() const {
  Geometry g;
  const int w = size();
  if (w == 0) return g;
  const QFontMetricsF fm(font());
  double labelWidth = 0;
  for (const QString& l : m_labels)
    labelWidth = std::max(labelWidth, fm.horizontalAdvance(l));
  labelWidth = std::min(labelWidth + 6, width() * 0.3);
  const double top = fm.height() * 1.3; // the title
  // Labels only when a cell is tall enough to read one.
  const double withLabels =
      std::min((width() - labelWidth - 4) / w, (height() - top - labelWidth - 4) / w);
  g.labels = withLabels >= fm.height() * 0.9;
  const double margin = g.labels ? labelWidth : 4;
  g.cell = std::max(1.0, std::min((width() - margin - 4) / w, (height() - top - margin - 4) / w));
  g.cells = QRectF(margin, top + margin, g.cell * w, g.cell * w);
  return g;
}

QRectF AttentionMatrixView::Geometry::cellRect(int row, int column) const {
  return QRectF(cells.left() + column * cell, cells.top() + row * cell, cell, cell);
}

QRectF AttentionMatrixView::cellRect(int row, int column) const {
  return geometry().cellRect(row, column);
}

void AttentionMatrixView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), palette().base());
  const int w = size();
  if (w == 0) {
    p.setPen(palette().color(QPalette::Text));
    p.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, m_message);
    return;
  }
  const Geometry g = geometry(); // measures every label: once per paint, never per cell
  const QFontMetricsF fm(font());
  if (m_pending) p.setOpacity(0.35);
  p.setPen(palette().color(QPalette::Text));
  p.drawText(QRectF(4, 0, width() - 8, fm.height() * 1.3), Qt::AlignLeft | Qt::AlignVCenter,
             QStringLiteral("%1 \u00B7 scale 0\u2013%2")
                 .arg(m_title)
                 .arg(static_cast<double>(m_max), 0, 'f', 2));
  const float scale = m_max > 0 ? m_max : 1.0f;
  for (int r = 0; r < w; ++r)
    for (int c = 0; c < w; ++c) {
      const float v = m_values[r * w + c];
      p.fillRect(g.cellRect(r, c).adjusted(0, 0, 0.5, 0.5),
                 mapColor(ColorMapKind::Sequential, static_cast<double>(v / scale)));
    }
  // Gold parents: row i (word i, at row i + 1 of the map) should look at column gold(i).
  QPen outline(palette().color(QPalette::Text), std::max(1.0, g.cell / 10));
  outline.setJoinStyle(Qt::MiterJoin);
  p.setPen(outline);
  p.setBrush(Qt::NoBrush);
  for (int i = 0; i < m_gold.size() && i + 1 < w - 1; ++i)
    if (m_gold[i] > 0 && m_gold[i] < w - 1)
      p.drawRect(g.cellRect(i + 1, m_gold[i]).adjusted(0.5, 0.5, -0.5, -0.5));
  if (g.labels) {
    p.setPen(palette().color(QPalette::Text));
    for (int i = 0; i < w; ++i) {
      const QRectF row = g.cellRect(i, 0);
      p.drawText(QRectF(0, row.top(), g.cells.left() - 4, g.cell),
                 Qt::AlignRight | Qt::AlignVCenter,
                 fm.elidedText(m_labels[i], Qt::ElideRight, g.cells.left() - 4));
      const QRectF col = g.cellRect(0, i);
      p.save();
      p.translate(col.center().x(), g.cells.top() - 3);
      p.rotate(-90);
      p.drawText(QRectF(0, -g.cell / 2, g.cells.left() - 4, g.cell),
                 Qt::AlignLeft | Qt::AlignVCenter,
                 fm.elidedText(m_labels[i], Qt::ElideRight, g.cells.left() - 4));
      p.restore();
    }
  }
  if (m_pending) {
    p.setOpacity(1.0);
    QFont f = font();
    f.setItalic(true);
    p.setFont(f);
    p.drawText(rect().adjusted(4, 0, -6, -4), Qt::AlignRight | Qt::AlignTop,
               QStringLiteral("loading\u2026"));
  }
}

void AttentionMatrixView::mouseMoveEvent(QMouseEvent* event) {
  const int w = size();
  const Geometry g = geometry();
  if (w == 0 || !g.cells.contains(event->position())) {
    QToolTip::hideText();
    return;
  }
  const int c =
      std::clamp(static_cast<int>((event->position().x() - g.cells.left()) / g.cell), 0, w - 1);
  const int r =
      std::clamp(static_cast<int>((event->position().y() - g.cells.top()) / g.cell), 0, w - 1);
  QToolTip::showText(event->globalPosition().toPoint(),
                     QStringLiteral("%1 \u2192 %2: %3")
                         .arg(m_labels[r], m_labels[c])
                         .arg(static_cast<double>(m_values[r * w + c]), 0, 'f', 3),
                     this);
}

} // namespace chrysalis::ui
