#include "widgets/label_box.h"

#include <QEvent>
#include <QLabel>

namespace chrysalis::ui {

LabelBox::LabelBox(QLabel* label, QWidget* parent, Sizing sizing)
    : QWidget(parent), m_label(label), m_sizing(sizing) {
  m_label->setParent(this);
  m_label->setAutoFillBackground(true);
  setSizePolicy(m_label->sizePolicy());
  m_hint = m_label->sizeHint();
  m_minimumHint = m_label->minimumSizeHint();
  if (m_sizing == Sizing::Widest) m_minimumHint.setWidth(0);
}

bool LabelBox::hasHeightForWidth() const {
  return m_label->hasHeightForWidth();
}

int LabelBox::heightForWidth(int width) const {
  return m_label->heightForWidth(width);
}

bool LabelBox::event(QEvent* event) {
  // A box without a layout gets its child's geometry requests as events.
  if (event->type() == QEvent::LayoutRequest) {
    takeLabelSizes();
    return true;
  }
  return QWidget::event(event);
}

void LabelBox::resizeEvent(QResizeEvent*) {
  m_label->setGeometry(rect());
  m_heightHere = hasHeightForWidth() ? heightForWidth(width()) : -1;
}

void LabelBox::takeLabelSizes() {
  if (hasHeightForWidth()) {
    // A wrapping label is laid out by its height at the width it has; each
    // size query lays its text out again, so only that one is asked.
    const int here = heightForWidth(width());
    if (here == m_heightHere) return;
    m_heightHere = here;
    m_hint = m_label->sizeHint();
    m_minimumHint = m_label->minimumSizeHint();
  } else {
    QSize hint = m_label->sizeHint(), minimum = m_label->minimumSizeHint();
    if (m_sizing == Sizing::Widest) {
      // The widest wanted size, but no minimum width: a text that grew once
      // must not keep the window from narrowing.
      hint = hint.expandedTo(m_hint);
      minimum.setWidth(0);
    }
    const bool same =
        counted(hint) == counted(m_hint) && counted(minimum) == counted(m_minimumHint);
    m_hint = hint;
    m_minimumHint = minimum;
    if (same) return;
  }
  updateGeometry();
}

QSize LabelBox::counted(QSize size) const {
  if (sizePolicy().horizontalPolicy() == QSizePolicy::Ignored) size.setWidth(0);
  if (sizePolicy().verticalPolicy() == QSizePolicy::Ignored) size.setHeight(0);
  return size;
}

} // namespace chrysalis::ui
