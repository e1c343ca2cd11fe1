#include "heads/head_grid_painter.h"

#include "common/step_axis.h"
#include "heads/color_map.h"

#include <QFontMetricsF>
#include <QLinearGradient>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace chrysalis::ui {
namespace {

// Colours and legend ticks on the grid's own scale: linear, or log10(1 + v)
// for steps over several decades (the timelines' log axis).
double toScale(const HeadGrid& g, double v) {
  return g.logScale && !std::isnan(v) ? stepToAxis(v, StepScale::Log) : v; // NaN stays grey
}

double fromScale(const HeadGrid& g, double v) {
  return g.logScale ? axisToStep(v, StepScale::Log) : v;
}

QColor cellColour(ColorMapKind kind, const HeadGrid& g, double v) {
  return mapColor(kind, colorPosition(kind, toScale(g, v), toScale(g, g.lo), toScale(g, g.hi)));
}

} // namespace

QRectF HeadGridLayout::cell(int layer, int head) const {
  const double w = cells.width() / std::max(1, heads), h = cells.height() / std::max(1, layers);
  return QRectF(cells.left() + head * w, cells.top() + layer * h, w, h);
}

bool HeadGridLayout::cellAt(const QPointF& pos, int* layer, int* head) const {
  if (!cells.contains(pos) || layers <= 0 || heads <= 0) return false;
  *head =
      std::clamp(static_cast<int>((pos.x() - cells.left()) / cells.width() * heads), 0, heads - 1);
  *layer = std::clamp(static_cast<int>((pos.y() - cells.top()) / cells.height() * layers), 0,
                      layers - 1);
  return true;
}

int headGridTitleLines(const HeadGrid& grid, const QFont& font, double width) {
  QFont bold = font;
  bold.setBold(true);
  const QFontMetricsF fm(bold);
  if (fm.horizontalAdvance(grid.title) <= width) return 1;
  const QRectF wrapped =
      fm.boundingRect(QRectF(0, 0, std::max(1.0, width), 1e6), Qt::TextWordWrap, grid.title);
  return std::clamp(static_cast<int>(std::ceil(wrapped.height() / fm.lineSpacing() - 0.01)), 2,
                    kHeadGridTitleMaxLines);
}

double headGridTitleHeight(int lines, double lineHeight) {
  return (lines * 1.1 + 0.4) * lineHeight; // 1.5 lines for one, 2.6 for two
}

std::vector<std::pair<double, double>> headGridLegendTicks(const HeadGrid& grid,
                                                           double legendHeight, double h) {
  const double scaleLo = toScale(grid, grid.lo), scaleHi = toScale(grid, grid.hi);
  std::vector<std::pair<double, double>> candidates{{0.0, grid.lo}, {1.0, grid.hi}};
  if (!grid.logScale) {
    candidates.emplace_back(0.5, fromScale(grid, scaleLo + 0.5 * (scaleHi - scaleLo)));
  } else if (scaleHi > scaleLo) {
    for (double v = 10; v < grid.hi; v *= 10)
      if (v > grid.lo)
        candidates.emplace_back((toScale(grid, v) - scaleLo) / (scaleHi - scaleLo), v);
  }
  // Labels are a line tall: a short bar keeps fewer of them ("1k" and "2k"
  // overlapped on a small emergence grid).
  std::vector<std::pair<double, double>> kept;
  for (const auto& tick : candidates) {
    const bool apart = std::all_of(kept.cbegin(), kept.cend(), [&](const auto& k) {
      return std::abs(k.first - tick.first) * legendHeight >= 1.1 * h;
    });
    if (apart) kept.push_back(tick);
  }
  return kept;
}

HeadGridLayout layoutHeadGrid(const QRectF& area, const HeadGrid& grid, const QFont& font) {
  const QFontMetricsF fm(font);
  const double h = fm.height();
  HeadGridLayout l;
  l.area = area;
  l.layers = grid.layers;
  l.heads = grid.heads;
  const int titleLines = headGridTitleLines(grid, font, area.width());
  l.title = QRectF(area.left(), area.top(), area.width(), headGridTitleHeight(titleLines, h));
  const double left = fm.horizontalAdvance(QStringLiteral("00")) + 1.7 * h;
  const double bottom = 2.4 * h;
  // Bar, tick labels, and the unit written vertically beside them.
  const double legendWidth =
      0.9 * h + 0.4 * h + fm.horizontalAdvance(QStringLiteral("\u22120.00")) + 1.3 * h;
  const double right = 1.0 * h + legendWidth;
  const QRectF avail(area.left() + left, l.title.bottom() + 0.3 * h, area.width() - left - right,
                     area.height() - l.title.height() - 0.3 * h - bottom);
  if (grid.layers <= 0 || grid.heads <= 0 || avail.width() <= 0 || avail.height() <= 0) return l;
  // Square cells, centred: a head grid is read by position, not stretched.
  const double size = std::min(avail.width() / grid.heads, avail.height() / grid.layers);
  const QSizeF cellsSize(size * grid.heads, size * grid.layers);
  l.cells = QRectF(QPointF(avail.left() + (avail.width() - cellsSize.width()) / 2.0, avail.top()),
                   cellsSize);
  l.legend = QRectF(l.cells.right() + 1.0 * h, l.cells.top() + 0.5 * h, 0.9 * h,
                    std::max(h, l.cells.height() - 1.0 * h));
  return l;
}

void paintHeadGrid(QPainter& p, const QRectF& area, const HeadGrid& grid,
                   const HeadGridStyle& style, int selectedLayer, int selectedHead,
                   const QString& message, const QVector<QPoint>& ablationSelection) {
  p.save();
  p.setRenderHint(QPainter::Antialiasing, false);
  p.fillRect(area, style.background);
  p.setFont(style.font);
  p.setPen(style.text);
  const QFontMetricsF fm(style.font);
  const double h = fm.height();
  if (!grid.isValid()) {
    p.drawText(area.adjusted(h, h, -h, -h), Qt::AlignCenter | Qt::TextWordWrap,
               message.isEmpty() ? QStringLiteral("No head results") : message);
    p.restore();
    return;
  }
  const HeadGridLayout l = layoutHeadGrid(area, grid, style.font);
  const ColorMapKind kind = grid.diverging ? ColorMapKind::Diverging : ColorMapKind::Sequential;
  QFont bold = style.font;
  bold.setBold(true);
  p.setFont(bold);
  // Wrapped (at spaces) when one line is too short, measured in the bold font;
  // past kHeadGridTitleMaxLines lines the end is elided, never cut mid-glyph.
  QString title = grid.title;
  const QFontMetricsF boldMetrics(bold);
  const double room = l.title.width() * kHeadGridTitleMaxLines * 0.9;
  if (boldMetrics.horizontalAdvance(title) > room)
    title = boldMetrics.elidedText(title, Qt::ElideRight, room);
  p.drawText(l.title, Qt::AlignCenter | Qt::TextWordWrap, title);
  p.setFont(style.font);

  // Cells, with a hairline of background between them.
  const double gap = std::max(0.5, l.cell(0, 0).width() * 0.05);
  for (int layer = 0; layer < grid.layers; ++layer)
    for (int head = 0; head < grid.heads; ++head)
      p.fillRect(l.cell(layer, head).adjusted(0, 0, -gap, -gap),
                 cellColour(kind, grid, grid.at(layer, head)));
  // Crossed-out cells (heads that never emerge): a mark, not only a colour.
  p.save();
  p.setRenderHint(QPainter::Antialiasing, true);
  p.setPen(QPen(QColor(0x55, 0x55, 0x55), style.lineWidth));
  for (int layer = 0; layer < grid.layers; ++layer)
    for (int head = 0; head < grid.heads; ++head)
      if (grid.isMarked(layer, head)) {
        const QRectF c = l.cell(layer, head).adjusted(0, 0, -gap, -gap);
        const QRectF x =
            c.adjusted(c.width() * 0.3, c.height() * 0.3, -c.width() * 0.3, -c.height() * 0.3);
        p.drawLine(x.topLeft(), x.bottomRight());
        p.drawLine(x.topRight(), x.bottomLeft());
      }
  p.restore();

  // Labels: 1-based, every other one when cells are smaller than the text.
  const int layerEvery = l.cell(0, 0).height() < h * 0.95 ? 2 : 1;
  const int headEvery =
      l.cell(0, 0).width() < fm.horizontalAdvance(QStringLiteral("00")) * 1.1 ? 2 : 1;
  for (int layer = 0; layer < grid.layers; layer += layerEvery) {
    const QRectF c = l.cell(layer, 0);
    p.drawText(QRectF(c.left() - 0.35 * h - 3 * h, c.top(), 3 * h, c.height() - gap),
               Qt::AlignRight | Qt::AlignVCenter, QString::number(layer + 1));
  }
  for (int head = 0; head < grid.heads; head += headEvery) {
    const QRectF c = l.cell(0, head);
    p.drawText(QRectF(c.left(), l.cells.bottom() + 0.15 * h, c.width() - gap, h),
               Qt::AlignHCenter | Qt::AlignTop, QString::number(head + 1));
  }
  p.drawText(QRectF(l.cells.left(), l.cells.bottom() + 1.15 * h, l.cells.width(), h),
             Qt::AlignCenter, QStringLiteral("head"));
  p.save();
  p.translate(l.cells.left() - fm.horizontalAdvance(QStringLiteral("00")) - 1.2 * h,
              l.cells.center().y());
  p.rotate(-90);
  p.drawText(QRectF(-l.cells.height() / 2, -h / 2, l.cells.height(), h), Qt::AlignCenter,
             QStringLiteral("layer"));
  p.restore();

  if (selectedLayer >= 0 && selectedHead >= 0 && selectedLayer < grid.layers &&
      selectedHead < grid.heads) {
    // Two outlines, so the selection shows on dark and light cells alike.
    const QRectF c = l.cell(selectedLayer, selectedHead).adjusted(0, 0, -gap, -gap);
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(style.selection, 2.0 * style.lineWidth));
    p.drawRect(c.adjusted(-style.lineWidth, -style.lineWidth, style.lineWidth, style.lineWidth));
    p.setPen(QPen(style.background, style.lineWidth));
    p.drawRect(c.adjusted(style.lineWidth, style.lineWidth, -style.lineWidth, -style.lineWidth));
  }

  for (const QPoint& m : ablationSelection) {
    if (m.x() < 0 || m.y() < 0 || m.x() >= grid.layers || m.y() >= grid.heads) continue;
    // Dashed, in the selection colour over a background-coloured line: visible on any cell.
    const QRectF c = l.cell(m.x(), m.y()).adjusted(0, 0, -gap, -gap);
    const QRectF inner = c.adjusted(2.5 * style.lineWidth, 2.5 * style.lineWidth,
                                    -2.5 * style.lineWidth, -2.5 * style.lineWidth);
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(style.background, 2.0 * style.lineWidth));
    p.drawRect(inner);
    p.setPen(QPen(style.selection, 2.0 * style.lineWidth, Qt::DashLine));
    p.drawRect(inner);
  }

  // Legend: a vertical gradient (vector in SVG/PDF), hi at the top.
  QLinearGradient gradient(l.legend.bottomLeft(), l.legend.topLeft());
  const double scaleLo = toScale(grid, grid.lo), scaleHi = toScale(grid, grid.hi);
  auto legendValue = [&](double t) { return fromScale(grid, scaleLo + t * (scaleHi - scaleLo)); };
  for (int i = 0; i <= 16; ++i) {
    const double t = i / 16.0;
    gradient.setColorAt(t, cellColour(kind, grid, legendValue(t)));
  }
  p.fillRect(l.legend, gradient);
  p.setPen(QPen(style.text, style.lineWidth * 0.5));
  p.drawRect(l.legend);
  p.save();
  p.translate(l.legend.right() + 0.4 * h + fm.horizontalAdvance(QStringLiteral("\u22120.00")) +
                  0.6 * h,
              l.legend.center().y());
  p.rotate(-90);
  p.drawText(QRectF(-l.legend.height() / 2, -h / 2, l.legend.height(), h), Qt::AlignCenter,
             grid.unit);
  p.restore();
  auto label = [&](double v) {
    const double span = grid.hi - grid.lo;
    const int decimals = span <= 0.2 ? 3 : span <= 2.0 ? 2 : span <= 20 ? 1 : 0;
    QString s = grid.stepValues ? formatStep(v) : QString::number(v, 'f', decimals);
    if (s.startsWith(QLatin1Char('-'))) s.replace(0, 1, QChar(0x2212)); // a real minus sign
    return s;
  };
  for (const auto& [f, v] : headGridLegendTicks(grid, l.legend.height(), h)) {
    const double y = l.legend.bottom() - f * l.legend.height();
    p.drawLine(QPointF(l.legend.right(), y), QPointF(l.legend.right() + 0.25 * h, y));
    p.drawText(QRectF(l.legend.right() + 0.4 * h, y - h / 2, 5 * h, h),
               Qt::AlignLeft | Qt::AlignVCenter, label(v));
  }
  if (!grid.marked.contains(true) || grid.markMeaning.isEmpty()) {
    p.restore();
    return;
  }
  // What the cross means, under the colour bar.
  const QRectF swatch(l.legend.left(), l.legend.bottom() + 0.6 * h, l.legend.width(), 0.8 * h);
  p.fillRect(swatch, mapColor(kind, std::nan("")));
  p.setPen(QPen(QColor(0x55, 0x55, 0x55), style.lineWidth));
  p.drawLine(swatch.topLeft(), swatch.bottomRight());
  p.drawLine(swatch.topRight(), swatch.bottomLeft());
  p.setPen(style.text);
  p.drawText(QRectF(swatch.right() + 0.4 * h, swatch.center().y() - h / 2, 5 * h, h),
             Qt::AlignLeft | Qt::AlignVCenter, grid.markMeaning);
  p.restore();
}

} // namespace chrysalis::ui
