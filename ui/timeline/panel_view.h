#pragma once
// The interactive view of one panel. It does not change anything itself: it
// turns mouse gestures into requests that TimelineStack applies to every
// panel at once.
//   left press/drag  move the cursor (scrub)
//   right drag       rubber-band zoom on the step axis
//   wheel            zoom around the mouse;   middle drag: pan
//   double-click     reset the zoom;          hover: read-out and onset tooltips
#include "common/step_axis.h"

#include <QtCharts/QChartView>

#include <cmath>
#include <functional>

class QRubberBand;

namespace chrysalis::ui {

class PanelChart;

class PanelView : public QChartView {
  Q_OBJECT
public:
  /// Sets the least height from the chart's content, below which its key,
  /// tick labels or axis titles would elide (the stack scrolls instead on a
  /// small screen). Call after the chart's content changed.
  void fitMinimumHeight();
  explicit PanelView(PanelChart* chart, QWidget* parent = nullptr);
  PanelChart* panelChart() const { return m_chart; }
  /// Chart x of a widget position (chart and scene share coordinates).
  double chartX(const QPoint& pos) const;
  /// Something drawn over the plot after the cursor (e.g. the path inset),
  /// given the plot area in scene coordinates; empty for nothing.
  void setForegroundPainter(std::function<void(QPainter&, const QRectF& plot)> paint);

Q_SIGNALS:
  void cursorRequested(double step);
  void rangeRequested(const chrysalis::ui::StepRange& range);
  void resetRequested();
  void hovered(double step); ///< NaN when the mouse leaves

protected:
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void leaveEvent(QEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void paintEvent(QPaintEvent* event) override;
  void drawForeground(QPainter* painter, const QRectF& rect) override;

private:
  /// Where the overlay cursor is in viewport pixels (NaN: not shown).
  double cursorViewX() const;
  /// Repaints the strips under the old and new cursor positions.
  void moveOverlayCursor();
  double m_cursorDrawnX = std::nan("");
  // The chart as last rendered, without the cursor and foreground: a cursor
  // move repaints two strips from it instead of rendering the scene there
  // again. Invalid after any change of the scene (QGraphicsScene::changed)
  // or of the view's size.
  QPixmap m_body;
  bool m_bodyValid = false;
  std::function<void(QPainter&, const QRectF&)> m_foreground;
  enum class Drag { None, Cursor, Zoom, Pan };
  PanelChart* m_chart;
  Drag m_drag = Drag::None;
  QPoint m_pressPos;
  StepAxisMapping m_pressMapping; // pans are relative to the range at the press
  QRubberBand* m_band = nullptr;
};

} // namespace chrysalis::ui
