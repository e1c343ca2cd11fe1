#include "window/arc_view_stub.h"

#include <QLabel>
#include <QVBoxLayout>

namespace chrysalis::ui {

ArcViewStub::ArcViewStub(CursorContext& cursor, QWidget* parent) : QWidget(parent), m_cursor(cursor) {
  m_label = new QLabel;
  m_label->setObjectName(QStringLiteral("arc-view-stub"));
  m_label->setWordWrap(true);
  m_label->setAlignment(Qt::AlignCenter);
  m_label->setTextFormat(Qt::RichText);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(m_label);
  m_cursor.addObserver(this);
  updateText();
}

ArcViewStub::~ArcViewStub() { m_cursor.removeObserver(this); }

void ArcViewStub::cursorChanged(const Cursor&, CursorFields changed) {
  if (changed & (CursorField::Head | CursorField::Step)) updateText();
}

void ArcViewStub::updateText() {
  const Cursor& c = m_cursor.cursor();
  const QString head = c.hasHead() ? QStringLiteral("head %1-%2").arg(c.layer + 1).arg(c.head + 1)
                                   : QStringLiteral("a head (click one in the head grid)");
  m_label->setText(QStringLiteral("<p><b>Dependency arcs</b></p>"
                                  "<p>Gold arcs against the arcs predicted by %1 at step %2.</p>"
                                  "<p><i>This view needs the engine worker</i> (<tt>chrysalis-cli</tt>), which "
                                  "computes attention maps; the app does not run the model itself.</p>")
                       .arg(head)
                       .arg(c.step < 0 ? QStringLiteral("\u2014") : QString::number(c.step)));
}

} // namespace chrysalis::ui
