#include "timeline/zoom_stack.h"

#include <QAction>
#include <QIcon>

namespace chrysalis::ui {

ZoomStack::ZoomStack(QObject* parent) : QObject(parent) {
  m_back = new QAction(QIcon::fromTheme(QStringLiteral("zoom-previous")),
                       QStringLiteral("Zoom &Back"), this);
  m_back->setShortcut(QKeySequence(Qt::Key_Backspace));
  m_back->setToolTip(QStringLiteral("Back to the previous zoom (Backspace)"));
  m_reset = new QAction(QIcon::fromTheme(QStringLiteral("zoom-original")),
                        QStringLiteral("&Reset Zoom"), this);
  m_reset->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
  m_reset->setToolTip(QStringLiteral("Show the whole run (Ctrl+0, or double-click a chart)"));
  connect(m_back, &QAction::triggered, this, &ZoomStack::back);
  connect(m_reset, &QAction::triggered, this, &ZoomStack::reset);
  updateActions();
}

void ZoomStack::setFullRange(const StepRange& range) {
  if (range == m_full) return;
  m_full = range;
  if (!isZoomed()) Q_EMIT changed(current());
}

StepRange ZoomStack::current() const {
  return m_stack.isEmpty() ? m_full : m_stack.last();
}

void ZoomStack::zoomTo(const StepRange& range) {
  if (!range.isValid() || range == current()) return;
  m_stack.push_back(range);
  updateActions();
  Q_EMIT changed(current());
}

void ZoomStack::back() {
  if (m_stack.isEmpty()) return;
  m_stack.pop_back();
  updateActions();
  Q_EMIT changed(current());
}

void ZoomStack::reset() {
  if (m_stack.isEmpty()) return;
  m_stack.clear();
  updateActions();
  Q_EMIT changed(current());
}

void ZoomStack::updateActions() {
  m_back->setEnabled(!m_stack.isEmpty());
  m_reset->setEnabled(!m_stack.isEmpty());
}

} // namespace chrysalis::ui
