#pragma once
// One timeline panel (loss, UAS, BLiMP or TwoNN) as a QChart: the curves of
// every visible run, dashed onset lines with their symbols, and the cursor.
// The plot area has fixed margins derived from the font, so stacked panels
// line up and one vertical cursor runs straight through all of them. Used by
// the interactive view and, unchanged, by the paper export.
#include "common/step_axis.h"
#include "timeline/chart_style.h"
#include "timeline/timeline_figure.h"

#include <QPen>
#include <QtCharts/QChart>

#include <cmath>

class QGraphicsSimpleTextItem;
class QGraphicsRectItem;
QT_BEGIN_NAMESPACE
class QAreaSeries;
class QCategoryAxis;
class QValueAxis;
class QLineSeries;
QT_END_NAMESPACE

namespace chrysalis::ui {

class ChartKey;

class PanelChart : public QChart {
  Q_OBJECT
public:
  explicit PanelChart(QGraphicsItem* parent = nullptr);

  void setChartStyle(const ChartStyle& style);
  const ChartStyle& chartStyle() const { return m_style; }
  /// @param top    the top panel: onset symbols (with their steps for a
  ///               single run), and the key of run colours and onset symbols.
  /// @param bottom the bottom panel: step tick labels and the x axis title
  ///               (the panels share one step axis, as stacked subplots do).
  void setContent(const PanelModel& panel, const QVector<OnsetMarker>& markers, StepScale scale,
                  bool top, bool bottom);
  void setStepRange(const StepRange& range);
  /// NaN hides the cursor.
  void setCursorStep(double step);
  /// Interactive views draw the cursor themselves, over the chart, so a move
  /// touches no scene item (PanelView); off, it is a line series (exports).
  void setCursorOverlay(bool on);
  bool cursorOverlay() const { return m_cursorOverlay; }
  QPen cursorPen() const;
  /// Text shown in a box at the plot's foot, in the half away from `step`
  /// (the step read; NaN: left); empty hides it.
  void setReadout(const QString& text, double step = std::nan(""));
  /// Shows the full-height bootstrap band of this marker (one of markers()),
  /// hiding the others; nullptr hides all. Intervals are otherwise whiskers.
  void showIntervalOf(const OnsetMarker* marker);
  /// Alpha of the interval whiskers' stroke (exports are checked by it).
  static constexpr int kWhiskerAlpha = 230;
  /// Where the read-out box is, in chart coordinates (empty when hidden).
  QRectF readoutRect() const;

  StepAxisMapping mapping() const;
  /// Height of the key above the plot for a chart this wide (0 without a key).
  double keyHeight(double width);
  /// The least height, at this width, that keeps the key, the tick labels and
  /// the axis titles whole (below it Qt Charts elides them to "…").
  double minimumHeight(double width);
  const PanelModel& panel() const { return m_panel; }
  const QVector<OnsetMarker>& markers() const { return m_markers; }
  double cursorStep() const { return m_cursorStep; }

Q_SIGNALS:
  /// The cursor step changed while the cursor is an overlay.
  void overlayCursorMoved();

public:
  /// "step 1.2k: implicit parse 0.412 · all words 0.203", per run.
  QString readoutAt(double step) const;
  /// The onset marker whose line is within `px` pixels of chart x, or nullptr.
  const OnsetMarker* markerNear(double x, double px) const;

private:
  void relayout();
  void rebuildTicks();
  void applyYRange();
  void placeMarkerItems();
  QLineSeries* verticalLine(const QPen& pen);
  QAreaSeries* addBand(const QList<QPointF>& low, const QList<QPointF>& high, const QColor& fill);
  void updateKey();

  ChartStyle m_style;
  PanelModel m_panel;
  QVector<OnsetMarker> m_markers;
  StepScale m_scale = StepScale::Linear;
  StepRange m_range{0.0, 1.0};
  bool m_top = false;
  bool m_bottom = false;
  double m_cursorStep = std::nan("");
  bool m_cursorOverlay = false;
  QCategoryAxis* m_x = nullptr;
  QValueAxis* m_y = nullptr;
  QLineSeries* m_cursor = nullptr;
  QVector<QLineSeries*> m_markerLines;      // parallel to m_markers
  QVector<QAreaSeries*> m_intervalBands;    // parallel to m_markers; nullptr without an interval
  QVector<QLineSeries*> m_intervalWhiskers; // parallel to m_markers; nullptr without an interval
  double m_readoutStep = std::nan("");
  QVector<QGraphicsSimpleTextItem*> m_markerLabels;
  ChartKey* m_key = nullptr;
  QGraphicsRectItem* m_readoutBox = nullptr;
  QGraphicsSimpleTextItem* m_readout = nullptr;
  QGraphicsSimpleTextItem* m_xTitle = nullptr;
};

} // namespace chrysalis::ui
