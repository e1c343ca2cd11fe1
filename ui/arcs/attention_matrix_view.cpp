#include "arcs/attention_matrix_view.h"

#include "arcs/matrix_painter.h"

#include <QComboBox>
#include <QContextMenuEvent>
#include <QFontMetricsF>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QSignalBlocker>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace chrysalis::ui {

AttentionMatrixView::AttentionMatrixView(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("attention-matrix"));
  setMouseTracking(true);
  setAttribute(Qt::WA_OpaquePaintEvent); // paintEvent fills every pixel
  m_levelBox = new QComboBox(this);
  m_levelBox->setObjectName(QStringLiteral("matrix-level"));
  m_levelBox->addItem(QStringLiteral("Words"));
  m_levelBox->addItem(QStringLiteral("Wordpieces"));
  m_levelBox->setToolTip(
      QStringLiteral("Words: the word-level map the UAS probe scores (from a word: the mean "
                     "over its pieces; to a word: the sum). Wordpieces: the model's own "
                     "attention over the pieces, [CLS] and [SEP] included."));
  m_levelBox->setFocusPolicy(Qt::ClickFocus);
  m_levelBox->adjustSize();
  connect(m_levelBox, &QComboBox::currentIndexChanged, this, [this](int i) {
    m_level = i == 1 ? MatrixLevel::Pieces : MatrixLevel::Words;
    Q_EMIT levelChanged(m_level);
  });
}

void AttentionMatrixView::setLevel(MatrixLevel level) {
  if (level == m_level) return;
  m_levelBox->setCurrentIndex(level == MatrixLevel::Pieces ? 1 : 0); // emits levelChanged
}

void AttentionMatrixView::setMatrix(const AttentionMatrix& matrix) {
  // Another sentence or level: fit it again; the same one at another step or
  // head keeps the zoom, so a zoomed-in corner can be followed through training.
  if (matrix.size() != m_matrix.size() || matrix.labels != m_matrix.labels) {
    m_zoom = 1.0;
    m_pan = {};
  }
  m_matrix = matrix.isValid() ? matrix : AttentionMatrix{};
  m_message.clear();
  update();
}

void AttentionMatrixView::setPending(bool pending) {
  if (pending == m_pending) return;
  m_pending = pending;
  update();
}

void AttentionMatrixView::setMessage(const QString& message) {
  m_matrix = {};
  m_message = message;
  update();
}

MatrixGeometry AttentionMatrixView::geometry() const {
  GeometryKey key{m_matrix.labels, QWidget::size(), m_zoom, m_pan, font(), m_levelBox->geometry()};
  if (m_haveGeometry && key == m_geometryKey) return m_geometry;
  // The title row is as tall as the switch beside it, and stops short of it.
  const double top = std::max(QFontMetricsF(font()).height() * 1.3, m_levelBox->height() + 2.0);
  MatrixGeometry g =
      MatrixGeometry::fit(m_matrix, font(), QSizeF(width(), height()), top, m_zoom, m_pan);
  g.title.setRight(m_levelBox->x() - 6);
  m_geometryKey = std::move(key);
  m_geometry = g;
  m_haveGeometry = true;
  return g;
}

QRectF AttentionMatrixView::cellRect(int row, int column) const {
  return geometry().cellRect(row, column);
}

QRectF AttentionMatrixView::colourBarRect() const {
  return geometry().bar;
}

QString AttentionMatrixView::toolTipAt(const QPointF& pos) const {
  const QPoint cell = geometry().cellAt(pos, m_matrix.size());
  return cell.x() < 0 ? QString() : m_matrix.cellText(cell.y(), cell.x());
}

void AttentionMatrixView::resizeEvent(QResizeEvent*) {
  m_levelBox->move(width() - m_levelBox->width() - 2, 1);
}

void AttentionMatrixView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), palette().base());
  if (m_matrix.size() == 0) {
    p.setPen(palette().color(QPalette::Text));
    const int top = m_levelBox->geometry().bottom() + 4;
    p.drawText(rect().adjusted(8, top, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, m_message);
    return;
  }
  MatrixStyle style;
  style.font = font();
  style.background = palette().color(QPalette::Base);
  style.text = palette().color(QPalette::Text);
  style.cellsAsImage = true;
  style.labels = false; // from the label layer, below
  if (m_pending) p.setOpacity(0.35);
  const MatrixGeometry g = geometry();
  paintMatrix(p, m_matrix, g, style);
  m_labelLayer.paint(p, m_matrix, g, style, QWidget::size(), devicePixelRatioF());
  if (m_pending) {
    p.setOpacity(1.0);
    QFont f = font();
    f.setItalic(true);
    p.setFont(f);
    p.setPen(style.text);
    p.drawText(rect().adjusted(4, m_levelBox->height() + 4, -6, -4), Qt::AlignRight | Qt::AlignTop,
               QStringLiteral("loading\u2026"));
  }
}

void AttentionMatrixView::mouseMoveEvent(QMouseEvent* event) {
  if (m_dragging) {
    m_pan = m_panAtPress - (event->position() - m_pressAt);
    m_pan = geometry().viewport.topLeft() - geometry().cells.topLeft(); // clamped by fit()
    update();
    return;
  }
  const QString text = toolTipAt(event->position());
  if (text.isEmpty())
    QToolTip::hideText();
  else
    QToolTip::showText(event->globalPosition().toPoint(), text, this);
}

void AttentionMatrixView::zoomAt(const QPointF& at, double factor) {
  if (m_matrix.size() == 0) return;
  const MatrixGeometry before = geometry();
  const double zoom = std::clamp(m_zoom * factor, 1.0, 32.0);
  if (zoom == m_zoom) return;
  // The cell under `at` stays under it.
  const QPointF inCells = at - before.cells.topLeft();
  m_pan = inCells * (zoom / m_zoom) - (at - before.viewport.topLeft());
  m_zoom = zoom;
  m_pan = geometry().viewport.topLeft() - geometry().cells.topLeft(); // clamped by fit()
  update();
}

void AttentionMatrixView::wheelEvent(QWheelEvent* event) {
  const double notches = event->angleDelta().y() / 120.0;
  if (notches == 0.0 || m_matrix.size() == 0) return;
  zoomAt(event->position(), std::pow(1.25, notches));
  event->accept();
}

void AttentionMatrixView::mousePressEvent(QMouseEvent* event) {
  if (event->button() == Qt::LeftButton && m_zoom > 1.0) {
    m_dragging = true;
    m_pressAt = event->position();
    m_panAtPress = m_pan;
    setCursor(Qt::ClosedHandCursor);
  }
  QWidget::mousePressEvent(event);
}

void AttentionMatrixView::mouseReleaseEvent(QMouseEvent* event) {
  if (m_dragging) {
    m_dragging = false;
    unsetCursor();
  }
  QWidget::mouseReleaseEvent(event);
}

void AttentionMatrixView::mouseDoubleClickEvent(QMouseEvent* event) {
  m_zoom = 1.0;
  m_pan = {};
  update();
  event->accept();
}

void AttentionMatrixView::contextMenuEvent(QContextMenuEvent* event) {
  QMenu menu(this);
  QAction* exportAction = menu.addAction(QStringLiteral("Export Matrix\u2026"));
  exportAction->setEnabled(m_matrix.isValid());
  connect(exportAction, &QAction::triggered, this, &AttentionMatrixView::exportRequested);
  menu.exec(event->globalPos());
}

} // namespace chrysalis::ui
