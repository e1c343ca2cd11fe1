#include "arcs/matrix_painter.h"

#include "heads/color_map.h"

#include <QFontMetricsF>
#include <QImage>
#include <QLinearGradient>
#include <QPainter>

#include <algorithm>
#include <array>
#include <cmath>

namespace chrysalis::ui {

namespace {

// Room right of the cells: a gap, the bar, a tick and its label ("0.00").
double barRoom(const QFontMetricsF& fm) {
  return 0.6 * fm.height() + 0.8 * fm.height() + 0.3 * fm.height() +
         fm.horizontalAdvance(QStringLiteral("0.00")) + 4;
}

int strideFor(double cell, const QFontMetricsF& fm) {
  return std::max(1, static_cast<int>(std::ceil(fm.height() * 0.9 / std::max(cell, 1e-9))));
}

double widestLabel(const AttentionMatrix& m, const QFontMetricsF& fm) {
  double w = 0;
  for (const QString& l : m.labels)
    w = std::max(w, fm.horizontalAdvance(l));
  return w;
}

// `top`: m.maximum(), which callers that also need it pass in (a 512-piece
// map is 262,144 values).
QString titleText(const AttentionMatrix& m, float top) {
  return QStringLiteral("%1 \u00B7 scale 0\u2013%2")
      .arg(m.title)
      .arg(static_cast<double>(top), 0, 'f', 2);
}

} // namespace

MatrixStyle MatrixStyle::forPaper(const QString& family, double points, double unitsPerPoint) {
  MatrixStyle s;
  s.font = QFont(family);
  s.font.setPixelSize(std::max(1, qRound(points * unitsPerPoint)));
  return s;
}

QPoint MatrixGeometry::cellAt(const QPointF& p, int size) const {
  if (size <= 0 || cell <= 0 || !cells.contains(p) || !viewport.contains(p)) return {-1, -1};
  return {std::clamp(static_cast<int>((p.x() - cells.left()) / cell), 0, size - 1),
          std::clamp(static_cast<int>((p.y() - cells.top()) / cell), 0, size - 1)};
}

QSizeF MatrixGeometry::extent() const {
  const double pad = title.left();
  return {std::max(title.right(), barEnd) + pad, std::max(cells.bottom(), bar.bottom()) + pad};
}

MatrixGeometry MatrixGeometry::fit(const AttentionMatrix& m, const QFont& font, const QSizeF& area,
                                   double titleHeight, double zoom, QPointF pan) {
  MatrixGeometry g;
  g.title = QRectF(4, 0, area.width() - 8, titleHeight);
  const int w = m.size();
  if (w == 0) return g;
  const QFontMetricsF fm(font);
  const double bar = barRoom(fm);
  // Token labels on both axes whenever the gutters leave cells to see; with
  // cells under a line tall every k-th token is labelled (zoom in for all).
  const double labelWidth = std::min(widestLabel(m, fm) + 6, area.width() * 0.25);
  const double top = titleHeight;
  const double withLabels = std::min((area.width() - labelWidth - bar - 4) / w,
                                     (area.height() - top - labelWidth - 4) / w);
  g.labels = withLabels * w >= 4 * fm.height();
  const double margin = g.labels ? labelWidth : 4;
  const double fitted = std::max(
      1.0, std::min((area.width() - margin - bar - 4) / w, (area.height() - top - margin - 4) / w));
  g.viewport = QRectF(margin, top + margin, fitted * w, fitted * w);
  g.cell = fitted * std::max(1.0, zoom);
  const double extra = g.cell * w - g.viewport.width();
  pan = QPointF(std::clamp(pan.x(), 0.0, extra), std::clamp(pan.y(), 0.0, extra));
  g.cells = QRectF(g.viewport.topLeft() - pan, QSizeF(g.cell * w, g.cell * w));
  g.labelStride = strideFor(g.cell, fm);
  g.labelRoom = margin - 4;
  g.bar = QRectF(g.viewport.right() + 0.6 * fm.height(), g.viewport.top(), 0.8 * fm.height(),
                 g.viewport.height());
  g.barEnd = g.viewport.right() + bar;
  return g;
}

MatrixGeometry MatrixGeometry::natural(const AttentionMatrix& m, const QFont& font) {
  MatrixGeometry g;
  const QFontMetricsF fm(font);
  const double pad = fm.height() * 0.5;
  const double labelWidth = widestLabel(m, fm) + pad;
  g.title = QRectF(pad, 0, fm.horizontalAdvance(titleText(m, m.maximum())), fm.height() * 1.6);
  g.labels = true;
  g.cell = fm.height() * 1.1;
  g.cells =
      QRectF(pad + labelWidth, g.title.bottom() + labelWidth, g.cell * m.size(), g.cell * m.size());
  g.viewport = g.cells;
  g.labelRoom = labelWidth - 4;
  g.bar = QRectF(g.cells.right() + 0.6 * fm.height(), g.cells.top(), 0.8 * fm.height(),
                 g.cells.height());
  g.barEnd = g.cells.right() + barRoom(fm);
  return g;
}

void paintMatrixLabels(QPainter& p, const AttentionMatrix& m, const MatrixGeometry& g,
                       const MatrixStyle& style) {
  const int w = m.size();
  if (!m.isValid() || !g.labels) return;
  p.save();
  p.setFont(style.font);
  const QFontMetricsF fm(style.font);
  const QRectF view = g.viewport.isEmpty() ? g.cells : g.viewport;
  p.setPen(style.text);
  const double room = g.labelRoom;
  const double h = std::max(g.cell, fm.height());
  for (int i = 0; i < w; i += std::max(1, g.labelStride)) {
    const QString label = fm.elidedText(m.labels[i], Qt::ElideRight, room);
    const QRectF row = g.cellRect(i, 0);
    if (row.center().y() >= view.top() - 0.5 && row.center().y() <= view.bottom() + 0.5)
      p.drawText(QRectF(view.left() - 4 - room, row.center().y() - h / 2, room, h),
                 Qt::AlignRight | Qt::AlignVCenter, label);
    const QRectF col = g.cellRect(0, i);
    if (col.center().x() < view.left() - 0.5 || col.center().x() > view.right() + 0.5) continue;
    p.save();
    p.translate(col.center().x(), view.top() - 3);
    p.rotate(-90);
    p.drawText(QRectF(0, -h / 2, room, h), Qt::AlignLeft | Qt::AlignVCenter, label);
    p.restore();
  }
  p.restore();
}

void paintMatrix(QPainter& p, const AttentionMatrix& m, const MatrixGeometry& g,
                 const MatrixStyle& style) {
  const int w = m.size();
  if (!m.isValid()) return;
  p.save();
  p.setFont(style.font);
  const QFontMetricsF fm(style.font);
  p.setPen(style.text);
  const float top = m.maximum();
  p.drawText(g.title, Qt::AlignLeft | Qt::AlignVCenter,
             fm.elidedText(titleText(m, top), Qt::ElideRight, g.title.width()));
  const float scale = top > 0 ? top : 1.0f;
  p.save();
  p.setClipRect(g.viewport.isEmpty() ? g.cells : g.viewport); // zoomed: only what is in view
  auto colour = [&](int r, int c) {
    return mapColor(ColorMapKind::Sequential, static_cast<double>(m.value(r, c) / scale));
  };
  if (style.cellsAsImage) {
    // Through a 1,024-entry table (a step of 0.001 in the map: invisible),
    // a scan line at a time: 512 x 512 cells are 262,144 look-ups.
    static const std::array<QRgb, 1024> table = [] {
      std::array<QRgb, 1024> t{};
      for (size_t i = 0; i < t.size(); ++i)
        t[i] = mapColor(ColorMapKind::Sequential, static_cast<double>(i) / 1023.0).rgb();
      return t;
    }();
    const QRgb undefined = mapColor(ColorMapKind::Sequential, std::nan("")).rgb();
    // Only the cells that can be seen: a 512-piece map at a pixel per cell
    // overflows a widget beside the arcs, and zoomed in, most cells are out
    // of the viewport.
    QRectF seen = g.viewport.isEmpty() ? g.cells : g.viewport;
    if (p.device())
      seen &= p.worldTransform().inverted().mapRect(
          QRectF(0, 0, p.device()->width(), p.device()->height()));
    const auto first = [&](double from) {
      return std::clamp(static_cast<int>(std::floor(from / g.cell)), 0, w);
    };
    const auto end = [&](double to) {
      return std::clamp(static_cast<int>(std::ceil(to / g.cell)), 0, w);
    };
    const int c0 = first(seen.left() - g.cells.left()), c1 = end(seen.right() - g.cells.left());
    const int r0 = first(seen.top() - g.cells.top()), r1 = end(seen.bottom() - g.cells.top());
    if (c0 < c1 && r0 < r1) {
      QImage cells(c1 - c0, r1 - r0, QImage::Format_RGB32);
      const float toIndex = 1023.0f / scale;
      for (int r = r0; r < r1; ++r) {
        auto* line = reinterpret_cast<QRgb*>(cells.scanLine(r - r0));
        const float* values = m.data() + static_cast<qsizetype>(r) * w;
        for (int c = c0; c < c1; ++c) {
          const float t = values[c] * toIndex + 0.5f;
          line[c - c0] =
              t == t ? table[static_cast<size_t>(std::clamp(t, 0.0f, 1023.0f))] : undefined;
        }
      }
      p.save();
      p.setRenderHint(QPainter::SmoothPixmapTransform, false); // sharp cell edges
      p.drawImage(QRectF(g.cells.left() + c0 * g.cell, g.cells.top() + r0 * g.cell,
                         (c1 - c0) * g.cell, (r1 - r0) * g.cell),
                  cells);
      p.restore();
    }
  } else {
    for (int r = 0; r < w; ++r)
      for (int c = 0; c < w; ++c)
        p.fillRect(g.cellRect(r, c).adjusted(0, 0, 0.5, 0.5), colour(r, c));
  }
  // Word boundaries between pieces: gaps in the background colour, thin
  // enough to leave the cells readable, across rows and columns alike.
  // Not on cells a few pixels wide (a long sentence fitted in the view):
  // the gaps and outlines would cover the cells they mark.
  const bool marks = g.cell >= 4;
  QPen gap(style.background, std::max(1.0, g.cell / 8));
  gap.setCapStyle(Qt::FlatCap);
  p.setPen(gap);
  for (int i = 1; i < w && marks; ++i)
    if (m.startsWord(i)) {
      const double x = g.cells.left() + i * g.cell, y = g.cells.top() + i * g.cell;
      p.drawLine(QPointF(x, g.cells.top()), QPointF(x, g.cells.bottom()));
      p.drawLine(QPointF(g.cells.left(), y), QPointF(g.cells.right(), y));
    }
  // Gold parents: row i (word i, at row i + 1 of the map) should look at column gold(i).
  QPen outline(style.text, std::max(1.0, g.cell / 10));
  outline.setJoinStyle(Qt::MiterJoin);
  p.setPen(outline);
  p.setBrush(Qt::NoBrush);
  for (int i = 0; i < m.gold.size() && i + 1 < w - 1 && marks; ++i)
    if (m.gold[i] > 0 && m.gold[i] < w - 1)
      p.drawRect(g.cellRect(i + 1, m.gold[i]).adjusted(0.5, 0.5, -0.5, -0.5));
  p.restore();
  if (style.labels) paintMatrixLabels(p, m, g, style);
  // The colour bar: the map from 0 (bottom) to the largest value (top).
  if (!g.bar.isEmpty()) {
    QLinearGradient gradient(g.bar.bottomLeft(), g.bar.topLeft());
    for (int i = 0; i <= 16; ++i)
      gradient.setColorAt(i / 16.0, mapColor(ColorMapKind::Sequential, i / 16.0));
    p.fillRect(g.bar, gradient);
    p.setPen(QPen(style.text, 0.5));
    p.drawRect(g.bar);
    const double x = g.bar.right() + 0.3 * fm.height();
    p.drawText(QRectF(x, g.bar.top() - fm.height() / 2, g.barEnd - x, fm.height()),
               Qt::AlignLeft | Qt::AlignVCenter, QString::number(double(scale), 'f', 2));
    p.drawText(QRectF(x, g.bar.bottom() - fm.height() / 2, g.barEnd - x, fm.height()),
               Qt::AlignLeft | Qt::AlignVCenter, QStringLiteral("0"));
  }
  p.restore();
}

} // namespace chrysalis::ui
