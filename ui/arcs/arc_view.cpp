#include "arcs/arc_view.h"

#include <QEvent>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QToolTip>
#include <QtMath>

#include <algorithm>
#include <cmath>

namespace chrysalis::ui {

namespace {
// The widest sentence layer kept as a pixmap (~300 words at the default font).
constexpr double kMaxLayerWidth = 16384;

bool isDark(const QPalette& p) {
  return p.color(QPalette::Window).lightnessF() < 0.5;
}
} // namespace

ArcView::ArcView(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("arc-view"));
  setMouseTracking(true);
  setAutoFillBackground(false);
  // paintEvent fills every pixel: Qt need not repaint what lies beneath.
  setAttribute(Qt::WA_OpaquePaintEvent);
  m_style = ArcStyle::forScreen(font(), isDark(palette()));
  relayout();
}

void ArcView::setScene(const ArcScene& scene) {
  if (scene.words != m_scene.words) m_hovered = -1; // a new sentence; the same one keeps its hover
  m_scene = scene;
  m_message.clear();
  relayout();
}

void ArcView::setPending(bool pending, const QString& note) {
  if (pending == m_pending && note == m_note) return;
  m_pending = pending;
  m_note = note;
  update();
}

void ArcView::setMessage(const QString& message) {
  m_message = message;
  m_hovered = -1;
  m_scene = {};
  relayout();
}

void ArcView::setArcStyle(const ArcStyle& style) {
  m_style = style;
  relayout();
}

void ArcView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
    m_style = ArcStyle::forScreen(font(), isDark(palette()));
    relayout();
  }
  QWidget::changeEvent(event);
}

void ArcView::relayout() {
  const QSize before = minimumSizeHint();
  const bool sameSentence = !m_layout.centres.isEmpty() && m_scene.words == m_laidOutWords &&
                            m_scene.gold == m_laidOutGold &&
                            m_scene.relations == m_laidOutRelations && m_style == m_laidOutStyle;
  const double tallest = sameSentence ? m_layout.height : 0;
  if (sameSentence) // a new parse: the words' places stay (measuring 500 words took 2 ms)
    m_layout.fitPrediction(m_scene);
  else {
    m_layout = ArcLayout::compute(m_scene, m_style.wordFont, m_style.labelFont);
    ++m_sentence; // the cached layer and label places are out of date
  }
  // The room below the words follows the longest predicted arc; while the
  // sentence stays it only grows, so scrubbing does not make the diagram
  // (and the scroll area around it) change size at every step.
  m_layout.height = std::max(m_layout.height, tallest);
  m_laidOutWords = m_scene.words;
  m_laidOutGold = m_scene.gold;
  m_laidOutRelations = m_scene.relations;
  m_laidOutStyle = m_style;
  // The scroll area keeps at least this size: long sentences scroll rather
  // than squash. Only a new size re-lays out the scroll area (and repaints
  // its scroll bars), so a cursor move that keeps the size does not.
  if (minimumSizeHint() != before || minimumSize() != before) {
    setMinimumSize(minimumSizeHint());
    updateGeometry();
  }
  update();
}

const QVector<QRectF>& ArcView::labelBoxes() {
  if (m_labelSentence != m_sentence) {
    m_labelBoxes = goldLabelBoxes(m_scene, m_layout, m_style);
    m_labelSentence = m_sentence;
  }
  return m_labelBoxes;
}

const QPixmap& ArcView::sentenceLayer() {
  const qreal dpr = devicePixelRatioF();
  if (m_layerSentence == m_sentence && m_sentenceLayer.devicePixelRatio() == dpr)
    return m_sentenceLayer;
  const QSizeF size(m_layout.width, m_layout.wordsBottom + 1);
  m_sentenceLayer = QPixmap((size * dpr).toSize());
  m_sentenceLayer.setDevicePixelRatio(dpr);
  m_sentenceLayer.fill(m_style.background);
  QPainter p(&m_sentenceLayer);
  paintGoldAndWords(p, m_scene, m_layout, m_style, -1, {}, &labelBoxes());
  m_layerSentence = m_sentence;
  return m_sentenceLayer;
}

const QPixmap& ArcView::shownLayer(const QRect& shown) {
  const qreal dpr = devicePixelRatioF();
  if (m_shownSentence == m_sentence && m_shownRect == shown &&
      m_shownLayer.devicePixelRatio() == dpr)
    return m_shownLayer;
  m_shownLayer = QPixmap(shown.size() * dpr);
  m_shownLayer.setDevicePixelRatio(dpr);
  m_shownLayer.fill(m_style.background);
  QPainter p(&m_shownLayer);
  p.translate(-shown.topLeft());
  paintGoldAndWords(p, m_scene, m_layout, m_style, -1, shown, &labelBoxes());
  m_shownSentence = m_sentence;
  m_shownRect = shown;
  return m_shownLayer;
}

QSize ArcView::minimumSizeHint() const {
  if (m_scene.size() == 0) return {200, 80};
  return QSize(qCeil(m_layout.width), qCeil(m_layout.height));
}

QSize ArcView::sizeHint() const {
  return minimumSizeHint();
}

QPointF ArcView::origin() const {
  // Whole pixels, so the cached sentence layer lands on the pixel grid.
  return QPointF(std::floor(std::max(0.0, (width() - m_layout.width) / 2)),
                 std::floor(std::max(0.0, (height() - m_layout.height) / 2)));
}

void ArcView::paintEvent(QPaintEvent* event) {
  QPainter p(this);
  p.fillRect(rect(), m_style.background);
  if (m_scene.size() == 0) {
    p.setPen(m_style.text);
    p.drawText(rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap, m_message);
    return;
  }
  p.save();
  if (m_pending) p.setOpacity(0.35);
  p.translate(origin());
  // What the scroll area shows, in layout coordinates: long sentences draw
  // only the arcs and words there.
  const QRectF shown = QRectF(event->rect()).translated(-origin());
  if (m_hovered >= 0) { // highlighted arcs and word: drawn whole
    paintArcs(p, m_scene, m_layout, m_style, m_hovered);
  } else {
    if (m_layout.width * devicePixelRatioF() <= kMaxLayerWidth)
      p.drawPixmap(QPointF(0, 0), sentenceLayer());
    else if (const QRect part = shown.toAlignedRect(); !part.isEmpty())
      p.drawPixmap(part.topLeft(), shownLayer(part)); // too wide for one: what is visible
    paintPredictedArcs(p, m_scene, m_layout, m_style, -1, shown);
  }
  p.restore();
  if (m_pending && !m_note.isEmpty()) {
    // In the visible part of the scroll area, whatever the scroll position.
    const QRect visible = visibleRegion().boundingRect();
    QFont f = m_style.wordFont;
    f.setItalic(true);
    p.setFont(f);
    p.setPen(m_style.text);
    p.drawText(visible.adjusted(8, 6, -8, -6), Qt::AlignTop | Qt::AlignRight, m_note);
  }
}

QString ArcView::wordTip(int i) const {
  const auto word = [&](int parent) {
    return parent == 0 ? QStringLiteral("ROOT")
                       : QStringLiteral("%1 (%2)").arg(m_scene.words.value(parent - 1)).arg(parent);
  };
  QString tip = QStringLiteral("<b>%1</b> (word %2)<br>gold: %3 \u2190 %4")
                    .arg(m_scene.words[i].toHtmlEscaped())
                    .arg(i + 1)
                    .arg(m_scene.relations.value(i).toHtmlEscaped(),
                         word(m_scene.gold.value(i)).toHtmlEscaped());
  if (m_scene.hasPrediction())
    tip += QStringLiteral("<br>predicted: %1 %2")
               .arg(word(m_scene.predicted[i]).toHtmlEscaped(),
                    m_scene.isCorrect(i) ? QStringLiteral("\u2713") : QStringLiteral("\u2717"));
  return tip;
}

void ArcView::mouseMoveEvent(QMouseEvent* event) {
  const QPointF pos = event->position() - origin();
  int word = -1;
  if (m_scene.size() > 0 && pos.x() >= 0 && pos.x() <= m_layout.width && pos.y() >= 0 &&
      pos.y() <= m_layout.height)
    word = m_layout.wordAt(pos.x());
  if (word != m_hovered) {
    m_hovered = word;
    update();
  }
  if (word >= 0)
    QToolTip::showText(event->globalPosition().toPoint(), wordTip(word), this);
  else
    QToolTip::hideText();
}

void ArcView::leaveEvent(QEvent* event) {
  if (m_hovered >= 0) {
    m_hovered = -1;
    update();
  }
  QWidget::leaveEvent(event);
}

} // namespace chrysalis::ui
