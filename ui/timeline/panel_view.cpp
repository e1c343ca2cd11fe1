#include "timeline/panel_view.h"

#include "timeline/panel_chart.h"

#include <QGraphicsScene>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QResizeEvent>
#include <QRubberBand>
#include <QToolTip>
#include <QWheelEvent>
#include <QtMath>

#include <algorithm>
#include <cmath>

namespace chrysalis::ui {

PanelView::PanelView(PanelChart* chart, QWidget* parent)
    : QChartView(chart, parent), m_chart(chart) {
  setRenderHint(QPainter::Antialiasing);
  setMouseTracking(true);
  setRubberBand(QChartView::NoRubberBand);
  setFocusPolicy(Qt::NoFocus); // arrow keys belong to the window (checkpoint navigation)
  setFrameShape(QFrame::NoFrame);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  chart->setCursorOverlay(true);
  connect(chart, &PanelChart::overlayCursorMoved, this, &PanelView::moveOverlayCursor);
  connect(scene(), &QGraphicsScene::changed, this, [this] { m_bodyValid = false; });
}

void PanelView::paintEvent(QPaintEvent* event) {
  const qreal dpr = viewport()->devicePixelRatioF();
  const QSize pixels = (QSizeF(viewport()->size()) * dpr).toSize();
  if (!m_bodyValid || m_body.size() != pixels || m_body.devicePixelRatio() != dpr) {
    // What QGraphicsView::paintEvent draws below the foreground: the
    // viewport's background, then the scene's items (scene and view
    // coordinates coincide: no scrolling, no transform).
    m_body = QPixmap(pixels);
    m_body.setDevicePixelRatio(dpr);
    m_body.fill(viewport()->palette().color(viewport()->backgroundRole()));
    QPainter body(&m_body);
    body.setRenderHints(renderHints());
    const QRectF area(QPointF(0, 0), QSizeF(viewport()->size()));
    scene()->render(&body, area, mapToScene(viewport()->rect()).boundingRect(),
                    Qt::IgnoreAspectRatio);
    m_bodyValid = true;
  }
  QPainter p(viewport());
  const QRect exposed = event->rect();
  p.drawPixmap(exposed, m_body,
               QRectF(QPointF(exposed.topLeft()) * dpr, QSizeF(exposed.size()) * dpr));
  p.setRenderHints(renderHints());
  p.setWorldTransform(viewportTransform());
  drawForeground(&p, mapToScene(exposed).boundingRect());
}

double PanelView::cursorViewX() const {
  const double step = m_chart->cursorStep();
  if (std::isnan(step)) return std::nan("");
  const double x = m_chart->mapping().stepToX(step);
  const QRectF plot = m_chart->plotArea();
  if (x < plot.left() - 0.5 || x > plot.right() + 0.5) return std::nan("");
  return mapFromScene(m_chart->mapToScene(QPointF(x, plot.top()))).x();
}

void PanelView::moveOverlayCursor() {
  const QRect plot =
      mapFromScene(m_chart->mapToScene(m_chart->plotArea()).boundingRect()).boundingRect();
  const int pad = 2 + qCeil(m_chart->cursorPen().widthF());
  for (double x : {m_cursorDrawnX, cursorViewX()})
    if (!std::isnan(x))
      viewport()->update(
          QRect(qFloor(x) - pad, plot.top() - pad, 2 * pad + 1, plot.height() + 2 * pad));
}

void PanelView::setForegroundPainter(std::function<void(QPainter&, const QRectF&)> paint) {
  m_foreground = std::move(paint);
  viewport()->update();
}

void PanelView::drawForeground(QPainter* painter, const QRectF& rect) {
  QChartView::drawForeground(painter, rect);
  m_cursorDrawnX = cursorViewX();
  const double step = m_chart->cursorStep();
  // The painter works in scene coordinates here; chart and scene coincide.
  const QRectF plot = m_chart->mapToScene(m_chart->plotArea()).boundingRect();
  if (m_foreground) m_foreground(*painter, plot);
  if (std::isnan(m_cursorDrawnX)) return;
  // On a pixel centre: a crisp line, not two half-tone columns.
  const double x =
      std::floor(m_chart->mapToScene(QPointF(m_chart->mapping().stepToX(step), 0)).x()) + 0.5;
  painter->save();
  painter->setRenderHint(QPainter::Antialiasing);
  painter->setPen(m_chart->cursorPen());
  painter->drawLine(QLineF(x, plot.top(), x, plot.bottom()));
  painter->restore();
}

double PanelView::chartX(const QPoint& pos) const {
  return m_chart->mapFromScene(mapToScene(pos)).x();
}

void PanelView::fitMinimumHeight() {
  // Before the first layout the view is narrow: measure as at least 200 px
  // wide (minimumHeight lays the key out again for the chart's own width).
  setMinimumHeight(static_cast<int>(std::ceil(m_chart->minimumHeight(std::max(200, width())))));
}

void PanelView::resizeEvent(QResizeEvent* event) {
  QChartView::resizeEvent(event);
  // The key may wrap to more or fewer rows at the new width.
  if (event->size().width() != event->oldSize().width()) fitMinimumHeight();
  // QChartView keeps the chart at the view's size; make sure the scene matches too.
  scene()->setSceneRect(QRectF(QPointF(0, 0), size()));
}

void PanelView::mousePressEvent(QMouseEvent* event) {
  m_pressPos = event->pos();
  m_pressMapping = m_chart->mapping();
  if (!m_pressMapping.isValid()) return;
  switch (event->button()) {
  case Qt::LeftButton:
    m_drag = Drag::Cursor;
    Q_EMIT cursorRequested(m_pressMapping.xToStep(chartX(event->pos())));
    break;
  case Qt::RightButton:
    m_drag = Drag::Zoom;
    if (!m_band) m_band = new QRubberBand(QRubberBand::Rectangle, viewport());
    m_band->setGeometry(QRect(event->pos(), QSize(1, height())));
    m_band->show();
    break;
  case Qt::MiddleButton:
    m_drag = Drag::Pan;
    setCursor(Qt::ClosedHandCursor);
    break;
  default:
    break;
  }
  event->accept();
}

void PanelView::mouseMoveEvent(QMouseEvent* event) {
  const StepAxisMapping m = m_chart->mapping();
  if (!m.isValid()) return;
  const double x = chartX(event->pos());
  switch (m_drag) {
  case Drag::Cursor:
    Q_EMIT cursorRequested(m.xToStep(x));
    break;
  case Drag::Zoom: {
    const int left = std::min(m_pressPos.x(), event->pos().x());
    m_band->setGeometry(QRect(left, 0, std::abs(event->pos().x() - m_pressPos.x()) + 1, height()));
    break;
  }
  case Drag::Pan:
    Q_EMIT rangeRequested(m_pressMapping.panned(event->pos().x() - m_pressPos.x()));
    break;
  case Drag::None:
    break;
  }
  const QRectF plot = m_chart->plotArea();
  const QPointF pos = m_chart->mapFromScene(mapToScene(event->pos()));
  if (plot.contains(pos)) {
    Q_EMIT hovered(m.xToStep(x));
    const OnsetMarker* marker = m_chart->markerNear(x, 4.0);
    m_chart->showIntervalOf(marker);
    if (marker)
      QToolTip::showText(event->globalPosition().toPoint(), marker->tooltip, this);
    else
      QToolTip::hideText();
  } else {
    m_chart->showIntervalOf(nullptr);
    Q_EMIT hovered(std::nan(""));
  }
}

void PanelView::mouseReleaseEvent(QMouseEvent* event) {
  if (m_drag == Drag::Zoom && m_band) {
    m_band->hide();
    const double a = chartX(m_pressPos), b = chartX(event->pos());
    if (std::abs(a - b) >= 6.0) {
      const StepAxisMapping m = m_chart->mapping();
      Q_EMIT rangeRequested({std::max(0.0, m.xToStep(std::min(a, b))), m.xToStep(std::max(a, b))});
    }
  }
  if (m_drag == Drag::Pan) unsetCursor();
  m_drag = Drag::None;
  event->accept();
}

void PanelView::mouseDoubleClickEvent(QMouseEvent* event) {
  Q_EMIT resetRequested();
  event->accept();
}

void PanelView::wheelEvent(QWheelEvent* event) {
  const StepAxisMapping m = m_chart->mapping();
  if (!m.isValid()) return;
  const double notches = event->angleDelta().y() / 120.0;
  if (notches == 0.0) return;
  const double x = m_chart->mapFromScene(mapToScene(event->position().toPoint())).x();
  Q_EMIT rangeRequested(m.zoomedAt(x, std::pow(0.8, notches)));
  event->accept();
}

void PanelView::leaveEvent(QEvent* event) {
  m_chart->showIntervalOf(nullptr);
  Q_EMIT hovered(std::nan(""));
  QChartView::leaveEvent(event);
}

} // namespace chrysalis::ui
