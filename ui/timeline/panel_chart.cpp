#include "timeline/panel_chart.h"

#include "timeline/chart_key.h"

#include <QFontMetricsF>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QtCharts/QAreaSeries>
#include <QtCharts/QCategoryAxis>
#include <QtCharts/QLineSeries>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>

#include <QMap>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace chrysalis::ui {

// Room under the bottom plot, in text lines: tick labels, the axis title and
// Qt Charts' paddings between them; with less it elides both to "…".
constexpr double kBottomAxisLines = 2.8;
// Empty margin at each end of the step axis, as a fraction of the plot width:
// a cursor on the first or last step is then drawn inside the frame, not on it.
constexpr double kEdgeMargin = 0.012;

PanelChart::PanelChart(QGraphicsItem* parent) : QChart(parent) {
  m_x = new QCategoryAxis;
  m_x->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
  m_y = new QValueAxis;
  addAxis(m_x, Qt::AlignBottom);
  addAxis(m_y, Qt::AlignLeft);
  // Qt Charts sizes labels from its own layout, not from the plot area set in
  // relayout(), and then shortens short step labels to "…": the room is
  // reserved there (kBottomAxisLines), so labels are drawn whole.
  m_x->setTruncateLabels(false);
  m_y->setTruncateLabels(false);
  setBackgroundRoundness(0);
  setMargins(QMargins());
  legend()->hide(); // ChartKey instead: see chart_key.h
  m_key = new ChartKey(this);
  m_readoutBox = new QGraphicsRectItem(this);
  m_readoutBox->setZValue(20);
  m_readout = new QGraphicsSimpleTextItem(m_readoutBox);
  // The step axis title is drawn here, under the whole labels: Qt Charts
  // elides its own title to "…" when the plot area is set by hand.
  m_xTitle = new QGraphicsSimpleTextItem(this);
  m_readoutBox->hide();
  connect(this, &QGraphicsWidget::geometryChanged, this, &PanelChart::relayout);
  connect(this, &QChart::plotAreaChanged, this, &PanelChart::placeMarkerItems);
  setChartStyle(ChartStyle::light());
}

void PanelChart::setChartStyle(const ChartStyle& style) {
  m_style = style;
  setBackgroundBrush(style.background);
  setBackgroundPen(Qt::NoPen);
  setPlotAreaBackgroundBrush(style.plotBackground);
  setPlotAreaBackgroundVisible(true);
  QFont bold = style.font;
  bold.setBold(true);
  for (QAbstractAxis* a : {static_cast<QAbstractAxis*>(m_x), static_cast<QAbstractAxis*>(m_y)}) {
    a->setLabelsFont(style.font);
    a->setLabelsColor(style.text);
    a->setTitleFont(style.font);
    a->setTitleBrush(style.text);
    a->setGridLineColor(style.grid);
    a->setLinePenColor(style.axis);
  }
  m_y->setMinorGridLineVisible(false);
  m_readout->setFont(style.font);
  m_readout->setBrush(style.text);
  m_xTitle->setFont(style.font);
  m_xTitle->setBrush(style.text);
  QColor box = style.background;
  box.setAlpha(225);
  m_readoutBox->setBrush(box);
  m_readoutBox->setPen(QPen(style.grid, 1));
  if (!m_panel.title.isEmpty()) setContent(m_panel, m_markers, m_scale, m_top, m_bottom);
  relayout();
}

QLineSeries* PanelChart::verticalLine(const QPen& pen) {
  auto* s = new QLineSeries;
  s->setPen(pen);
  addSeries(s);
  s->attachAxis(m_x);
  s->attachAxis(m_y);
  return s;
}

QAreaSeries* PanelChart::addBand(const QList<QPointF>& low, const QList<QPointF>& high,
                                 const QColor& fill) {
  auto* area = new QAreaSeries;
  auto* upper = new QLineSeries(area);
  auto* lower = new QLineSeries(area);
  upper->replace(high);
  lower->replace(low);
  area->setUpperSeries(upper);
  area->setLowerSeries(lower);
  area->setBrush(fill);
  area->setPen(Qt::NoPen);
  addSeries(area);
  area->attachAxis(m_x);
  area->attachAxis(m_y);
  return area;
}

void PanelChart::setContent(const PanelModel& panel, const QVector<OnsetMarker>& markers,
                            StepScale scale, bool top, bool bottom) {
  m_panel = panel;
  m_markers = markers;
  m_scale = scale;
  m_top = top;
  m_bottom = bottom;
  removeAllSeries();
  qDeleteAll(m_markerLabels);
  m_markerLabels.clear();
  m_markerLines.clear();
  m_intervalBands.clear();
  m_intervalWhiskers.clear();

  QSet<int> runs;
  for (const auto& s : panel.series)
    runs.insert(s.runId);
  const bool multiRun = runs.size() > 1;
  auto axisPoints = [scale](const QVector<QPointF>& points) {
    QList<QPointF> out;
    out.reserve(points.size());
    for (const QPointF& p : points)
      out.append(QPointF(stepToAxis(p.x(), scale), p.y()));
    return out;
  };
  // Seed groups' min–max bands first, under every curve.
  for (const PlotSeries& ps : panel.series) {
    if (ps.bandLow.isEmpty() || ps.bandLow.size() != ps.bandHigh.size()) continue;
    QColor fill = ps.colour;
    fill.setAlpha(ps.style == Qt::SolidLine ? 56 : 28);
    addBand(axisPoints(ps.bandLow), axisPoints(ps.bandHigh), fill)
        ->setName(ps.name + QStringLiteral(" band"));
  }
  for (const PlotSeries& ps : panel.series) {
    if (!ps.measured.isEmpty()) {
      // Measured points under a smoothed curve: faint dots, so smoothing never hides the data.
      auto* dots = new QScatterSeries;
      QColor c = ps.colour;
      c.setAlpha(ps.style == Qt::SolidLine ? 110 : 60);
      dots->setColor(c);
      dots->setBorderColor(Qt::transparent);
      dots->setMarkerSize(m_style.markerSize);
      for (const QPointF& p : ps.measured)
        dots->append(stepToAxis(p.x(), scale), p.y());
      addSeries(dots);
      dots->attachAxis(m_x);
      dots->attachAxis(m_y);
    }
    if (!ps.nonFiniteSteps.isEmpty()) {
      // Stored NaN/inf values: a red cross at the panel's foot, never a point.
      auto* marks = new QScatterSeries;
      marks->setName(ps.name + QStringLiteral(" NaN"));
      marks->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
      marks->setMarkerSize(m_style.markerSize * 1.6);
      marks->setColor(QColor(200, 30, 30));
      marks->setBorderColor(QColor(120, 0, 0));
      for (double step : ps.nonFiniteSteps)
        marks->append(stepToAxis(step, scale), panel.yMin);
      addSeries(marks);
      marks->attachAxis(m_x);
      marks->attachAxis(m_y);
    }
    auto* line = new QLineSeries;
    line->setName(multiRun ? ps.runLabel + QStringLiteral(" \u00B7 ") + ps.name : ps.name);
    QPen pen(ps.colour, m_style.lineWidth * ps.widthScale, ps.style);
    pen.setCapStyle(Qt::RoundCap);
    line->setPen(pen);
    line->replace(axisPoints(ps.points));
    addSeries(line);
    line->attachAxis(m_x);
    line->attachAxis(m_y);
  }
  for (const OnsetMarker& m : markers) {
    // The bootstrap interval: a slim whisker |--| at the foot of the plot, and
    // the full-height band only while the marker is hovered (a band on every
    // interval shaded most of the chart). Heights follow the y axis (applyYRange).
    QAreaSeries* band = nullptr;
    QLineSeries* whisker = nullptr;
    if (m.hasInterval()) {
      QColor fill = m.colour;
      fill.setAlpha(m.kind == OnsetMarker::Structure ? 34 : 20);
      band = addBand({}, {}, fill);
      band->setName(QStringLiteral("onset-interval"));
      band->setVisible(false);
      QColor stroke = m.colour;
      stroke.setAlpha(kWhiskerAlpha);
      whisker = new QLineSeries;
      whisker->setName(QStringLiteral("onset-interval-whisker"));
      QPen whiskerPen(stroke, std::max(1.2, m_style.lineWidth * 0.9));
      whiskerPen.setCapStyle(Qt::FlatCap);
      whisker->setPen(whiskerPen);
      addSeries(whisker);
      whisker->attachAxis(m_x);
      whisker->attachAxis(m_y);
    }
    m_intervalBands << band;
    m_intervalWhiskers << whisker;
    QColor c = m.colour;
    c.setAlpha(190);
    QPen pen(c, std::max(1.0, m_style.lineWidth * 0.75),
             m.kind == OnsetMarker::Plateau ? Qt::DotLine : Qt::DashLine);
    m_markerLines << verticalLine(pen);
    if (!top) continue; // the dashed lines alone in the lower panels: less clutter
    // One run: the symbol and its step; several: symbols only (the caption and
    // tooltips give the steps).
    QString text = m.symbol;
    if (runs.size() <= 1) {
      text += QLatin1Char(' ') + formatStep(static_cast<double>(m.step));
      if (m.hasInterval())
        text += QStringLiteral(" [%1, %2]")
                    .arg(formatStep(static_cast<double>(m.lowStep)),
                         formatStep(static_cast<double>(m.highStep)));
    }
    auto* label = new QGraphicsSimpleTextItem(text, this);
    QFont f = m_style.font;
    f.setPixelSize(std::max(1, qRound(f.pixelSize() * 0.9)));
    label->setFont(f);
    label->setBrush(m.colour);
    label->setZValue(10);
    m_markerLabels << label;
  }
  m_cursor = verticalLine(cursorPen());

  m_y->setTitleText(panel.yLabel);
  m_xTitle->setText(bottom ? (scale == StepScale::Log ? QStringLiteral("training step (log scale)")
                                                      : QStringLiteral("training step"))
                           : QString());
  m_x->setLabelsVisible(bottom);
  updateKey();
  relayout();
}

void PanelChart::setStepRange(const StepRange& range) {
  if (!range.isValid()) return;
  m_range = range;
  rebuildTicks();
  placeMarkerItems();
}

QPen PanelChart::cursorPen() const {
  return QPen(m_style.cursor, std::max(1.0, m_style.lineWidth * 0.8));
}

void PanelChart::setCursorOverlay(bool on) {
  m_cursorOverlay = on;
  if (on && m_cursor) m_cursor->clear();
  setCursorStep(m_cursorStep);
}

void PanelChart::setCursorStep(double step) {
  m_cursorStep = step;
  if (m_cursorOverlay) {
    // Drawn by the view over the chart: the scene is not touched, so a move
    // costs two thin repainted strips instead of the scene's dirty processing.
    Q_EMIT overlayCursorMoved();
    return;
  }
  if (!m_cursor) return;
  // An empty series draws nothing; its axes and pen stay set up for the next step.
  if (std::isnan(step)) {
    m_cursor->clear();
    return;
  }
  const double u = stepToAxis(step, m_scale);
  m_cursor->replace(QList<QPointF>{{u, m_y->min()}, {u, m_y->max()}});
}

void PanelChart::setReadout(const QString& text, double step) {
  m_readoutStep = step;
  m_readout->setText(text);
  m_readoutBox->setVisible(!text.isEmpty());
  placeMarkerItems();
}

double PanelChart::keyHeight(double width) {
  const QFontMetricsF fm(m_style.font);
  const double left = fm.horizontalAdvance(QStringLiteral("00.00")) + 2.2 * fm.height();
  const double right = fm.horizontalAdvance(QStringLiteral("00.0k")) * 0.6 + 0.4 * fm.height();
  return m_key->layoutFor(std::max(1.0, width - left - right));
}

double PanelChart::minimumHeight(double width) {
  const QFontMetricsF fm(m_style.font);
  const double h = fm.height();
  const double key = keyHeight(width);
  const double top = key > 0 ? key + 0.4 * h : 0.6 * h;
  const double bottom = (m_bottom ? kBottomAxisLines : 0.5) * h;
  // The plot must be as tall as the vertical y title, and show a few ticks.
  const double plot = std::max(3.5 * h, fm.horizontalAdvance(m_panel.yLabel) + 0.3 * h);
  // Measuring laid the key out for `width`; lay it out for this chart again.
  if (rect().width() > 0) relayout();
  return top + bottom + plot;
}

StepAxisMapping PanelChart::mapping() const {
  StepAxisMapping m;
  m.scale = m_scale;
  m.range = m_range;
  const QRectF plot = plotArea();
  m.left = plot.left() + plot.width() * kEdgeMargin; // see rebuildTicks
  m.right = plot.right() - plot.width() * kEdgeMargin;
  return m;
}

void PanelChart::relayout() {
  const QFontMetricsF fm(m_style.font);
  const double h = fm.height();
  const QRectF r = rect();
  // Fixed margins from the font, the same in every panel (see the header).
  const double left = fm.horizontalAdvance(QStringLiteral("00.00")) + 2.2 * h;
  const double right = fm.horizontalAdvance(QStringLiteral("00.0k")) * 0.6 + 0.4 * h;
  if (r.width() <= left + right + 10) return;
  const double keyHeight = m_key->layoutFor(r.width() - left - right);
  const double top = keyHeight > 0 ? keyHeight + 0.4 * h : 0.6 * h;
  const double bottom = (m_bottom ? kBottomAxisLines : 0.5) * h;
  if (r.height() <= top + bottom + 10) return;
  const QRectF plot(r.left() + left, r.top() + top, r.width() - left - right,
                    r.height() - top - bottom);
  setPlotArea(plot);
  m_key->setPos(plot.left(), r.top() + 0.15 * h);
  applyYRange();
  rebuildTicks();
  placeMarkerItems();
}

void PanelChart::applyYRange() {
  const QFontMetricsF fm(m_style.font);
  const double height = plotArea().height();
  const int ticks = std::clamp(static_cast<int>(height / (fm.height() * 2.4)) + 1, 2, 6);
  m_y->setTickCount(ticks);
  m_y->setRange(m_panel.yMin, m_panel.yMax);
  m_y->applyNiceNumbers();
  const double tickStep = (m_y->max() - m_y->min()) / std::max(1, m_y->tickCount() - 1);
  const int decimals =
      tickStep > 0 ? std::clamp(static_cast<int>(-std::floor(std::log10(tickStep) + 1e-9)), 0, 4)
                   : 2;
  m_y->setLabelFormat(QStringLiteral("%.") + QString::number(decimals) + QStringLiteral("f"));
  for (int i = 0; i < m_markerLines.size(); ++i) {
    const double u = stepToAxis(static_cast<double>(m_markers[i].step), m_scale);
    m_markerLines[i]->replace(QList<QPointF>{{u, m_y->min()}, {u, m_y->max()}});
    if (QAreaSeries* band = m_intervalBands.value(i)) {
      const double a = stepToAxis(static_cast<double>(m_markers[i].lowStep), m_scale);
      const double b = stepToAxis(static_cast<double>(m_markers[i].highStep), m_scale);
      band->upperSeries()->replace(QList<QPointF>{{a, m_y->max()}, {b, m_y->max()}});
      band->lowerSeries()->replace(QList<QPointF>{{a, m_y->min()}, {b, m_y->min()}});
      // Whiskers of different markers on staggered rows, so they never merge.
      const double span = m_y->max() - m_y->min();
      const double y = m_y->min() + span * (0.06 + 0.07 * (i % 3)), cap = span * 0.035;
      if (QLineSeries* whisker = m_intervalWhiskers.value(i))
        whisker->replace(
            QList<QPointF>{{a, y - cap}, {a, y + cap}, {a, y}, {b, y}, {b, y + cap}, {b, y - cap}});
    }
  }
  setCursorStep(m_cursorStep);
}

void PanelChart::rebuildTicks() {
  if (!m_range.isValid()) return;
  const QFontMetricsF fm(m_style.font);
  const double width = std::max(1.0, plotArea().width());
  const int maxTicks = std::clamp(
      static_cast<int>(width / (fm.horizontalAdvance(QStringLiteral("00.0k")) * 1.4)), 2, 10);
  const QStringList old = m_x->categoriesLabels();
  for (const auto& l : old)
    m_x->remove(l);
  const QVector<AxisTick> ticks = stepTicks(m_range, m_scale, maxTicks);
  const double lo = stepToAxis(m_range.first, m_scale), hi = stepToAxis(m_range.last, m_scale);
  m_x->setStartValue(
      ticks.isEmpty() ? lo : std::min(lo, stepToAxis(ticks.first().step, m_scale)) - 1e-9);
  for (const AxisTick& t : ticks)
    m_x->append(t.label, stepToAxis(t.step, m_scale));
  const double margin = (hi - lo) * kEdgeMargin / (1.0 - 2.0 * kEdgeMargin);
  m_x->setRange(lo - margin, hi + margin);
}

void PanelChart::placeMarkerItems() {
  const QRectF plot = plotArea();
  const QFontMetricsF fm(m_style.font);
  m_xTitle->setPos(plot.center().x() - m_xTitle->boundingRect().width() / 2,
                   plot.bottom() + 1.45 * fm.height());
  // Labels that would overlap the previous one drop to the next row.
  QVector<double> rowEnds;
  QVector<int> order(m_markers.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](int a, int b) { return m_markers[a].step < m_markers[b].step; });
  for (int i : order) {
    if (i >= m_markerLabels.size()) break;
    QGraphicsSimpleTextItem* label = m_markerLabels[i];
    const double x = mapping().stepToX(static_cast<double>(m_markers[i].step));
    const bool inside = x >= plot.left() - 0.5 && x <= plot.right() + 0.5;
    label->setVisible(inside);
    if (!inside) continue;
    const QRectF box = label->boundingRect();
    // The symbol is centred on the line; text runs right, or left near the edge.
    const double symbolWidth = QFontMetricsF(label->font()).horizontalAdvance(m_markers[i].symbol);
    double left = x - symbolWidth / 2.0;
    if (left + box.width() > plot.right()) left = x + symbolWidth / 2.0 - box.width();
    int row = 0;
    while (row < rowEnds.size() && rowEnds[row] > left - fm.height() * 0.3)
      ++row;
    if (row == rowEnds.size()) rowEnds << 0.0;
    rowEnds[row] = left + box.width();
    label->setPos(left, plot.top() + 1 + row * box.height() * 0.95);
  }
  if (m_readoutBox->isVisible()) {
    const QRectF t = m_readout->boundingRect();
    const double pad = fm.height() * 0.25;
    m_readoutBox->setRect(0, 0, t.width() + 2 * pad, t.height() + 2 * pad);
    m_readout->setPos(pad, pad);
    // In the half away from the step read, so the box never hides the points
    // (or the early onsets) being read.
    const bool right = !std::isnan(m_readoutStep) && mapping().isValid() &&
                       mapping().stepToX(m_readoutStep) < plot.center().x();
    const double width = t.width() + 2 * pad;
    m_readoutBox->setPos(right ? plot.right() - pad - width : plot.left() + pad,
                         plot.bottom() - t.height() - 3 * pad);
  }
}

namespace {
// The band point at exactly this step (seed groups; unsmoothed bands share the
// mean's steps), or -1.
int bandIndex(const PlotSeries& s, double step) {
  for (int i = 0; i < s.bandLow.size() && i < s.bandHigh.size(); ++i)
    if (s.bandLow[i].x() == step) return i;
  return -1;
}
} // namespace

QString PanelChart::readoutAt(double step) const {
  QStringList lines;
  QSet<int> runs;
  for (const auto& s : m_panel.series)
    runs.insert(s.runId);
  QMap<int, QStringList> perRun;
  QMap<int, QString> runLabels;
  double shownStep = step;
  for (const PlotSeries& s : m_panel.series) {
    const QVector<QPointF>& pts = s.measured.isEmpty() ? s.points : s.measured;
    // A stored NaN nearer the cursor than any point reads "NaN", not a neighbour's value.
    double nanStep = std::numeric_limits<double>::quiet_NaN();
    for (double at : s.nonFiniteSteps)
      if (std::isnan(nanStep) || std::abs(at - step) < std::abs(nanStep - step)) nanStep = at;
    if (pts.isEmpty() && std::isnan(nanStep)) continue;
    auto it = std::lower_bound(pts.cbegin(), pts.cend(), step,
                               [](const QPointF& p, double v) { return p.x() < v; });
    if (!pts.isEmpty() &&
        (it == pts.cend() ||
         (it != pts.cbegin() && std::abs((it - 1)->x() - step) < std::abs(it->x() - step))))
      --it;
    if (!std::isnan(nanStep) &&
        (pts.isEmpty() || std::abs(nanStep - step) < std::abs(it->x() - step))) {
      shownStep = nanStep;
      perRun[s.runId] << s.name + QStringLiteral(" NaN");
      runLabels[s.runId] = s.runLabel;
      continue;
    }
    shownStep = it->x();
    const double span = m_panel.yMax - m_panel.yMin;
    const int decimals = span < 5 ? 3 : 2;
    QString text = s.name + QLatin1Char(' ') + QString::number(it->y(), 'f', decimals);
    if (const int i = bandIndex(s, it->x()); i >= 0)
      text += QStringLiteral(" [%1, %2]")
                  .arg(QString::number(s.bandLow[i].y(), 'f', decimals),
                       QString::number(s.bandHigh[i].y(), 'f', decimals));
    perRun[s.runId] << text;
    runLabels[s.runId] = s.runLabel;
  }
  if (perRun.isEmpty()) return {};
  for (auto it = perRun.cbegin(); it != perRun.cend(); ++it)
    lines << (runs.size() > 1 ? runLabels[it.key()] + QStringLiteral(": ") : QString()) +
                 it->join(QStringLiteral(" \u00B7 "));
  return QStringLiteral("step ") + formatStep(shownStep) + QStringLiteral("\n") +
         lines.join(QLatin1Char('\n'));
}

void PanelChart::updateKey() {
  QVector<KeyEntry> entries;
  QVector<int> runIds;
  QStringList names;
  QMap<int, QPair<QString, QColor>> runs;
  for (const auto& s : std::as_const(m_panel.series)) {
    if (!runIds.contains(s.runId)) runIds << s.runId;
    runs[s.runId] = {s.runLabel, s.runColour.isValid() ? s.runColour : s.colour};
    if (!names.contains(s.name)) names << s.name;
  }
  const double w = m_style.lineWidth;
  if (m_top && runIds.size() > 1)
    for (int id : std::as_const(runIds))
      entries << KeyEntry{QPen(runs[id].second, w * 1.5), {}, runs[id].first};
  if (names.size() > 1) {
    // Line styles: in the run's colour for one run, neutral for several.
    const QColor c = runIds.size() == 1 ? runs.first().second : m_style.text;
    for (const QString& name : std::as_const(names))
      for (const auto& s : std::as_const(m_panel.series))
        if (s.name == name) {
          // A colour ramp (context window) keys its own colours.
          const bool ramp = s.runColour.isValid() && s.colour != s.runColour;
          entries << KeyEntry{
              QPen(ramp ? s.colour : c, (ramp ? w * 1.5 : w) * s.widthScale, s.style), {}, name};
          break;
        }
  }
  if (m_top) {
    static const char* const what[] = {"structure", "capabilities", "plateau"};
    QVector<int> kinds;
    for (const auto& m : std::as_const(m_markers))
      if (!kinds.contains(m.kind)) kinds << m.kind;
    std::sort(kinds.begin(), kinds.end());
    for (int k : std::as_const(kinds))
      for (const auto& m : std::as_const(m_markers))
        if (m.kind == k) {
          entries << KeyEntry{QPen(m_style.text), m.symbol, QString::fromLatin1(what[k])};
          break;
        }
    // The whiskers under the plots need their own key entry (figures, too).
    if (std::any_of(m_markers.cbegin(), m_markers.cend(),
                    [](const OnsetMarker& m) { return m.hasInterval(); }))
      entries << KeyEntry{QPen(m_style.text), QStringLiteral("\u251C\u2524"),
                          QStringLiteral("90% interval")};
  }
  m_key->setEntries(entries, m_style.font, m_style.text);
}

QRectF PanelChart::readoutRect() const {
  return m_readoutBox->isVisible() ? m_readoutBox->mapRectToParent(m_readoutBox->rect()) : QRectF();
}

void PanelChart::showIntervalOf(const OnsetMarker* marker) {
  for (int i = 0; i < m_markers.size(); ++i)
    if (QAreaSeries* band = m_intervalBands.value(i)) band->setVisible(marker == &m_markers[i]);
}

const OnsetMarker* PanelChart::markerNear(double x, double px) const {
  const StepAxisMapping m = mapping();
  const OnsetMarker* best = nullptr;
  double bestDist = px;
  for (const auto& marker : m_markers) {
    const double d = std::abs(m.stepToX(static_cast<double>(marker.step)) - x);
    if (d <= bestDist) {
      bestDist = d;
      best = &marker;
    }
  }
  return best;
}

} // namespace chrysalis::ui
