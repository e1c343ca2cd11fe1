#include "export/paper_figures.h"

#include "export/arc_export.h"
#include "export/figure_writer.h"
#include "heads/head_grid_painter.h"
#include "timeline/panel_chart.h"

#include <QFile>
#include <QFontMetricsF>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QPainter>

#include <algorithm>

namespace chrysalis::ui {
namespace {

ChartStyle paperChartStyle(const ExportOptions& o) {
  return ChartStyle::forPaper(o.fontFamily, o.fontPoints, kUnitsPerPoint);
}

HeadGridStyle paperHeadStyle(const ExportOptions& o) {
  HeadGridStyle s;
  s.font = paperChartStyle(o).font;
  s.lineWidth = 0.75 * kUnitsPerPoint;
  return s;
}

double panelHeightPoints(double widthPoints, double fontPoints) {
  // Wide enough to read a rise, short enough that four panels fit a column.
  return std::clamp(widthPoints * 0.3, fontPoints * 9.0, fontPoints * 14.0);
}

QString writeCsv(const QString& path, const std::function<void(QIODevice&)>& write) {
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
    return QStringLiteral("%1: %2").arg(path, f.errorString());
  write(f);
  return {};
}

} // namespace

// Each panel's key height in figure units (the top panel carries the run and
// onset keys, panels with several curves their line styles).
QVector<double> keyHeights(const TimelineFigure& f, double widthUnits, const ExportOptions& o) {
  QVector<double> out;
  for (int i = 0; i < f.panels.size(); ++i) {
    PanelChart probe;
    probe.setChartStyle(paperChartStyle(o));
    probe.setContent(f.panels[i], f.markers, f.scale, i == 0, i == f.panels.size() - 1);
    out << probe.keyHeight(widthUnits);
  }
  return out;
}

QSizeF timelineFigureSize(const TimelineFigure& figure, const ExportOptions& o) {
  const double w = o.widthInches * 72.0;
  if (o.heightInches > 0) return {w, o.heightInches * 72.0};
  const int panels = std::max<int>(1, static_cast<int>(figure.panels.size()));
  double keys = 0;
  for (double k : keyHeights(figure, w * kUnitsPerPoint, o))
    keys += k / kUnitsPerPoint;
  return {w, panels * panelHeightPoints(w, o.fontPoints) + keys + o.fontPoints * 1.2};
}

QSizeF headGridFigureSize(const HeadGrid& grid, const ExportOptions& o) {
  const double w = o.widthInches * 72.0;
  if (o.heightInches > 0) return {w, o.heightInches * 72.0};
  if (!grid.isValid()) return {w, w * 0.8};
  // Height that makes the layout's square cells fill the width.
  const QFontMetricsF fm(paperHeadStyle(o).font);
  const double h = fm.height() / kUnitsPerPoint;
  // As layoutHeadGrid(): labels and title left, colour bar with labels and unit right.
  const double sideMargins =
      fm.horizontalAdvance(QStringLiteral("00")) / kUnitsPerPoint + 1.7 * h + 1.0 * h + 0.9 * h +
      0.4 * h + fm.horizontalAdvance(QStringLiteral("\u22120.00")) / kUnitsPerPoint + 1.3 * h;
  const double cell = (w - sideMargins) / grid.heads;
  const int titleLines =
      headGridTitleLines(grid, paperHeadStyle(o).font, w * kUnitsPerPoint); // as the layout
  return {w, headGridTitleHeight(titleLines, h) + 0.3 * h + cell * grid.layers + 2.4 * h + 2.0};
}

void paintTimelines(QPainter& painter, const QRectF& area, const TimelineExport& what,
                    const ExportOptions& o) {
  const ChartStyle style = paperChartStyle(o);
  painter.fillRect(area, style.background);
  const TimelineFigure& f = what.figure;
  if (f.panels.isEmpty()) return;
  // The same PanelChart the window shows, laid out in a scene of figure units
  // and rendered through the painter: vector output for SVG and PDF.
  QGraphicsScene scene;
  scene.setSceneRect(QRectF(QPointF(0, 0), area.size()));
  const StepRange range = what.range.isValid() ? what.range : f.fullRange;
  const double bottomPad = o.fontPoints * 1.2 * kUnitsPerPoint;
  // Panels share the height left after the keys, so every plot is as tall.
  const QVector<double> keys = keyHeights(f, area.width(), o);
  double keysTotal = 0;
  for (double k : keys)
    keysTotal += k;
  const double h = std::max(1.0, (area.height() - bottomPad - keysTotal) / f.panels.size());
  double y = 0;
  for (int i = 0; i < f.panels.size(); ++i) {
    auto* chart = new PanelChart;
    scene.addItem(chart);
    chart->setChartStyle(style);
    chart->setContent(f.panels[i], f.markers, f.scale, i == 0, i == f.panels.size() - 1);
    const double height = h + keys[i] + (i == f.panels.size() - 1 ? bottomPad : 0.0);
    chart->setGeometry(QRectF(0, y, area.width(), height));
    y += height;
    if (chart->layout()) chart->layout()->activate();
    chart->setStepRange(range);
    chart->setCursorStep(what.cursorStep);
  }
  scene.render(&painter, area, scene.sceneRect());
}

void paintHeads(QPainter& painter, const QRectF& area, const HeadGridExport& what,
                const ExportOptions& o) {
  paintHeadGrid(painter, area, what.grid, paperHeadStyle(o), what.layer, what.head);
}

FigureDrawing timelineDrawing(const TimelineExport& what, const ExportOptions& o) {
  FigureDrawing d;
  if (what.figure.panels.isEmpty()) {
    d.error = QStringLiteral("nothing to plot: no loss, UAS, BLiMP or TwoNN results");
    return d;
  }
  d.sizePoints = timelineFigureSize(what.figure, o);
  const QRectF area(QPointF(0, 0), d.sizePoints * kUnitsPerPoint);
  d.paint = [what, o, area](QPainter& p) { paintTimelines(p, area, what, o); };
  return d;
}

FigureDrawing headGridDrawing(const HeadGridExport& what, const ExportOptions& o) {
  FigureDrawing d;
  if (!what.grid.isValid()) {
    d.error = QStringLiteral("nothing to plot: no head grid");
    return d;
  }
  d.sizePoints = headGridFigureSize(what.grid, o);
  const QRectF area(QPointF(0, 0), d.sizePoints * kUnitsPerPoint);
  d.paint = [what, o, area](QPainter& p) { paintHeads(p, area, what, o); };
  return d;
}

namespace {

// Each run's onsets with their intervals (or "no onset" and why): the numbers
// behind the timelines, set in the room the square head grid leaves.
QFont onsetTextFont(const ExportOptions& o) {
  QFont small = paperChartStyle(o).font;
  small.setPixelSize(std::max(1, qRound(small.pixelSize() * 0.85)));
  return small;
}

// The onset text's height in points at this width (points), its title included.
double onsetTextHeight(const QString& onsets, double widthPoints, const ExportOptions& o,
                       double label) {
  if (onsets.isEmpty()) return 0;
  const QRectF r = QFontMetricsF(onsetTextFont(o))
                       .boundingRect(QRectF(0, 0, widthPoints * kUnitsPerPoint, 1e7),
                                     Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, onsets);
  return label + r.height() / kUnitsPerPoint;
}

void paintOnsetText(QPainter& p, const QRectF& area, const QString& onsets, const ExportOptions& o,
                    double labelUnits) {
  if (onsets.isEmpty() || area.height() < 3 * labelUnits || area.width() < 4 * labelUnits) return;
  QFont bold = paperChartStyle(o).font;
  bold.setBold(true);
  p.setFont(bold);
  p.setPen(Qt::black);
  p.drawText(QRectF(area.left(), area.top(), area.width(), labelUnits),
             Qt::AlignLeft | Qt::AlignVCenter, QStringLiteral("Onsets in (a)"));
  p.setFont(onsetTextFont(o));
  p.drawText(area.adjusted(0, labelUnits, 0, 0), Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
             onsets);
}

} // namespace

FigureDrawing combinedDrawing(const TimelineExport& timelines, const HeadGridExport& heads,
                              const ArcScene& arcs, const ExportOptions& o) {
  FigureDrawing d;
  if (timelines.figure.panels.isEmpty() || !heads.grid.isValid()) {
    d.error =
        QStringLiteral("nothing to plot: the combined figure needs timelines and a head grid");
    return d;
  }
  const double w = o.widthInches * 72.0;
  const double label = o.fontPoints * 1.6; // room for "(a)", "(b)", "(c)"
  // Wide (a double column): (a) left, (b) and the onsets right. Narrow (a
  // single column): (a) over (b) beside the onsets, which would otherwise
  // crush the head grid to an inch.
  const bool stacked = o.widthInches < 5.0;
  ExportOptions timelineOptions = o, gridOptions = o;
  timelineOptions.widthInches = stacked ? o.widthInches : o.widthInches * 0.6;
  gridOptions.widthInches = o.widthInches * (stacked ? 0.55 : 0.4);
  gridOptions.heightInches = 0;
  const double timelineHeight = timelineFigureSize(timelines.figure, timelineOptions).height();
  const double gridHeight = headGridFigureSize(heads.grid, gridOptions).height();
  const QString& onsetText = timelines.figure.onsetCaption;
  const double textHeight =
      onsetTextHeight(onsetText, w * (stacked ? 0.45 : 0.4) - label * 0.5, o, label);
  const double top = stacked
                         ? timelineHeight + label + std::max(gridHeight, textHeight) + label
                         : std::max(timelineHeight, gridHeight + label * 0.5 + textHeight) + label;
  // The arcs row: the diagram at the paper font, scaled down to the width.
  const bool withArcs = arcs.size() > 0;
  const PaperArcs a = withArcs ? paperArcs(arcs, o) : PaperArcs{};
  const double arcsHeight =
      withArcs ? a.naturalPoints().height() * std::min(1.0, w / a.naturalPoints().width()) + label
               : 0.0;
  d.sizePoints = QSizeF(w, o.heightInches > 0 ? o.heightInches * 72.0 : top + arcsHeight);
  const QSizeF units = d.sizePoints * kUnitsPerPoint;
  // A fixed height gives the arcs what they need first, the top rows the rest.
  const double arcsUnits = std::min(arcsHeight * kUnitsPerPoint, units.height() * 0.6);
  const double labelUnits = label * kUnitsPerPoint;
  const double gridUnits = gridHeight * kUnitsPerPoint;
  const double timelineShare =
      stacked ? timelineHeight / (timelineHeight + std::max(gridHeight, textHeight)) : 1.0;
  d.paint = [timelines, heads, arcs, a, o, units, arcsUnits, labelUnits, gridUnits, withArcs,
             stacked, timelineShare](QPainter& p) {
    const QRectF all(QPointF(0, 0), units);
    p.fillRect(all, Qt::white);
    const double topHeight = all.height() - arcsUnits;
    QRectF ra, rb, onsets;
    if (stacked) {
      const double rows = topHeight - 2 * labelUnits;
      const double aHeight = rows * timelineShare;
      ra = QRectF(0, labelUnits, all.width(), aHeight);
      const double bTop = ra.bottom() + labelUnits;
      rb = QRectF(0, bTop, all.width() * 0.55, std::min(gridUnits, topHeight - bTop));
      onsets = QRectF(rb.right() + labelUnits * 0.5, bTop,
                      all.width() - rb.right() - labelUnits * 0.5, topHeight - bTop);
    } else {
      ra = QRectF(0, labelUnits, all.width() * 0.6, topHeight - labelUnits);
      rb = QRectF(all.width() * 0.6, labelUnits, all.width() * 0.4,
                  std::min(topHeight - labelUnits, gridUnits));
      onsets = QRectF(rb.left() + labelUnits * 0.5, rb.bottom() + labelUnits * 0.5,
                      rb.width() - labelUnits * 0.5, topHeight - rb.bottom() - labelUnits * 0.5);
    }
    paintTimelines(p, ra, timelines, o);
    paintHeads(p, rb, heads, o);
    QFont bold = paperChartStyle(o).font;
    bold.setBold(true);
    auto caption = [&](const QRectF& r, const QString& text) {
      p.setFont(bold);
      p.setPen(Qt::black);
      p.drawText(r, Qt::AlignLeft | Qt::AlignVCenter, text);
    };
    caption(QRectF(0, ra.top() - labelUnits, ra.width(), labelUnits), QStringLiteral("(a)"));
    caption(QRectF(rb.left(), rb.top() - labelUnits, rb.width(), labelUnits),
            QStringLiteral("(b)"));
    paintOnsetText(p, onsets, timelines.figure.onsetCaption, o, labelUnits);
    if (!withArcs) return;
    const QRectF rc(0, topHeight + labelUnits, all.width(), arcsUnits - labelUnits);
    paintArcsInto(p, rc, arcs, a);
    caption(QRectF(0, topHeight, all.width(), labelUnits), QStringLiteral("(c)"));
    if (!arcs.predictedLabel.isEmpty()) {
      QFont plain = paperChartStyle(o).font;
      p.setFont(plain);
      p.drawText(QRectF(labelUnits * 1.5, topHeight, all.width(), labelUnits),
                 Qt::AlignLeft | Qt::AlignVCenter, arcs.predictedLabel);
    }
  };
  return d;
}

QString exportTimelineFigure(const TimelineExport& what, const ExportOptions& o,
                             const QString& path) {
  const QString error = writeDrawing(path, timelineDrawing(what, o), o);
  if (!error.isEmpty() || !o.writeCsv) return error;
  return writeCsv(csvPathFor(path), [&](QIODevice& dev) { writeTimelineCsv(what.figure, dev); });
}

QString exportHeadGridFigure(const HeadGridExport& what, const ExportOptions& o,
                             const QString& path) {
  const QString error = writeDrawing(path, headGridDrawing(what, o), o);
  if (!error.isEmpty() || !o.writeCsv) return error;
  return writeCsv(csvPathFor(path), [&](QIODevice& dev) { writeHeadGridCsv(what.grid, dev); });
}

QString exportCombinedFigure(const TimelineExport& timelines, const HeadGridExport& heads,
                             const ExportOptions& o, const QString& path, const ArcScene& arcs) {
  const QString error = writeDrawing(path, combinedDrawing(timelines, heads, arcs, o), o);
  if (!error.isEmpty() || !o.writeCsv) return error;
  QString e = writeCsv(csvPathFor(path, QStringLiteral("timeline")),
                       [&](QIODevice& dev) { writeTimelineCsv(timelines.figure, dev); });
  if (!e.isEmpty()) return e;
  e = writeCsv(csvPathFor(path, QStringLiteral("heads")),
               [&](QIODevice& dev) { writeHeadGridCsv(heads.grid, dev); });
  if (!e.isEmpty() || arcs.size() == 0) return e;
  return exportArcCsv(arcs, csvPathFor(path, QStringLiteral("arcs")));
}

} // namespace chrysalis::ui
