#include "heads/head_grid_view.h"

#include "worker/ablation_result.h"

#include <QApplication>
#include <QContextMenuEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QOffscreenSurface>
#include <QOpenGLContext>
#include <QOpenGLWidget>
#include <QPainter>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>

namespace chrysalis::ui {
namespace {

// QPainter on a QOpenGLWidget draws through Qt's GL paint engine, whose
// buffers belong to the widget's context. The context can go away before the
// widget (reparenting to another window, screen change), so anything we keep
// on the GPU is released on aboutToBeDestroyed with the context current, as in
// Qt's hellogl2 example (house-style §18). Today that is only the paint
// engine's own state, which Qt releases; the hook is where future textures
// (e.g. a cached heatmap) must be freed.
class GlSurface : public QOpenGLWidget {
public:
  explicit GlSurface(HeadGridView* view) : QOpenGLWidget(view), m_view(view) {
    setAttribute(Qt::WA_TransparentForMouseEvents); // the view handles the mouse
  }
  ~GlSurface() override { releaseGl(); }

protected:
  void initializeGL() override {
    connect(context(), &QOpenGLContext::aboutToBeDestroyed, this, &GlSurface::releaseGl,
            Qt::UniqueConnection);
  }
  void paintGL() override {
    QPainter p(this);
    p.setRenderHint(QPainter::TextAntialiasing);
    m_view->paintOn(p, rect());
  }

private:
  void releaseGl() {
    if (!context()) return;
    makeCurrent();
    // Nothing of ours to delete yet; see above.
    doneCurrent();
  }
  HeadGridView* m_view;
};

class RasterSurface : public QWidget {
public:
  explicit RasterSurface(HeadGridView* view) : QWidget(view), m_view(view) {
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setAttribute(Qt::WA_OpaquePaintEvent); // paintHeadGrid fills every pixel
  }

protected:
  void paintEvent(QPaintEvent*) override {
    QPainter p(this);
    m_view->paintOn(p, rect());
  }

private:
  HeadGridView* m_view;
};

} // namespace

bool HeadGridView::openGLAvailable() {
  static const bool available = [] {
    if (qEnvironmentVariableIsSet("CHRYSALIS_NO_OPENGL")) return false;
    const QString platform = QGuiApplication::platformName();
    if (platform == QLatin1String("offscreen") || platform == QLatin1String("minimal"))
      return false;
    QOpenGLContext probe;
    return probe.create();
  }();
  return available;
}

HeadGridView::HeadGridView(QWidget* parent) : QWidget(parent) {
  m_gl = openGLAvailable();
  m_surface = m_gl ? static_cast<QWidget*>(new GlSurface(this)) : new RasterSurface(this);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_surface);
  setMouseTracking(true);
  setMinimumSize(170, 170);
  m_style.font = font();
  m_style.font.setPixelSize(std::max(11, QFontInfo(font()).pixelSize()));
}

void HeadGridView::setGrid(const HeadGrid& grid, const QString& message) {
  m_grid = grid;
  m_message = message;
  m_surface->update();
}

void HeadGridView::setSelection(int layer, int head) {
  if (layer == m_layer && head == m_head) return;
  m_layer = layer;
  m_head = head;
  m_surface->update();
}

void HeadGridView::setGridStyle(const HeadGridStyle& style) {
  m_style = style;
  m_surface->update();
}

HeadGridLayout HeadGridView::currentLayout() const {
  return layoutHeadGrid(QRectF(m_surface->rect()), m_grid, m_style.font);
}

void HeadGridView::paintOn(QPainter& painter, const QRectF& area) const {
  paintHeadGrid(painter, area, m_grid, m_style, m_layer, m_head, m_message, m_marked);
}

void HeadGridView::setAblationSelection(const QVector<QPoint>& heads) {
  m_marked = heads;
  m_surface->update();
}

QVector<QPoint> HeadGridView::headsToAblate(int layer, int head) const {
  if (m_marked.contains(QPoint(layer, head))) return m_marked;
  return {QPoint(layer, head)};
}

void HeadGridView::mousePressEvent(QMouseEvent* event) {
  int layer = -1, head = -1;
  if (event->button() != Qt::LeftButton ||
      !currentLayout().cellAt(m_surface->mapFrom(this, event->position().toPoint()), &layer, &head))
    return;
  if (event->modifiers() & Qt::ControlModifier) { // marks heads to ablate together
    QVector<QPoint> marked = m_marked;
    if (!marked.removeOne(QPoint(layer, head))) marked << QPoint(layer, head);
    std::sort(marked.begin(), marked.end(), [](const QPoint& a, const QPoint& b) {
      return a.x() != b.x() ? a.x() < b.x() : a.y() < b.y();
    });
    setAblationSelection(marked);
    return;
  }
  Q_EMIT headClicked(layer, head);
}

void HeadGridView::contextMenuEvent(QContextMenuEvent* event) {
  int layer = -1, head = -1;
  if (!m_grid.isValid() ||
      !currentLayout().cellAt(m_surface->mapFrom(this, event->pos()), &layer, &head))
    return;
  const QVector<QPoint> heads = headsToAblate(layer, head);
  const QString list = headListText(heads);
  QMenu menu(this);
  QAction* now = menu.addAction((heads.size() == 1 ? QStringLiteral("Ablate Head %1 at Cursor")
                                                   : QStringLiteral("Ablate Heads %1 at Cursor"))
                                    .arg(list));
  now->setToolTip(QStringLiteral("Zero the heads' outputs at the cursor's checkpoint and show how "
                                 "the held-out loss and UAS change, against random heads"));
  QAction* timeline = menu.addAction(QStringLiteral("Add Ablation Timeline for %1").arg(list));
  const int k = static_cast<int>(heads.size());
  QAction* top =
      menu.addAction(QStringLiteral("Add Ablation Timeline for the Top %1 UAS Heads").arg(k));
  menu.addSeparator();
  QAction* clear = menu.addAction(QStringLiteral("Clear Heads Marked for Ablation"));
  clear->setEnabled(!m_marked.isEmpty());
  QAction* chosen = menu.exec(event->globalPos());
  if (chosen == now) Q_EMIT ablateRequested(heads);
  if (chosen == timeline) Q_EMIT ablationTimelineRequested(headChoiceText(heads));
  if (chosen == top) Q_EMIT ablationTimelineRequested(QStringLiteral("top:%1").arg(k));
  if (chosen == clear) setAblationSelection({});
}

void HeadGridView::mouseMoveEvent(QMouseEvent* event) {
  int layer = -1, head = -1;
  if (!m_grid.isValid() ||
      !currentLayout().cellAt(m_surface->mapFrom(this, event->position().toPoint()), &layer,
                              &head)) {
    QToolTip::hideText();
    return;
  }
  QToolTip::showText(event->globalPosition().toPoint(), headCellText(m_grid, layer, head), this);
}

} // namespace chrysalis::ui
