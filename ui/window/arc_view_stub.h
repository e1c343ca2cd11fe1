#pragma once
// Placeholder for the dependency-arc view (a sentence's gold arcs against the
// selected head's predicted arcs). Drawing it needs attention maps, which
// only the engine computes: the GUI never links LibTorch, it will ask
// chrysalis-cli (the engine worker) for them. Until that worker protocol
// exists, this says so instead of pretending.
#include "cursor/cursor_context.h"

#include <QWidget>

class QLabel;

namespace chrysalis::ui {

class ArcViewStub : public QWidget, public ICursorObserver {
  Q_OBJECT
public:
  explicit ArcViewStub(CursorContext& cursor, QWidget* parent = nullptr);
  ~ArcViewStub() override;
  void cursorChanged(const Cursor& cursor, CursorFields changed) override;

private:
  void updateText();
  CursorContext& m_cursor;
  QLabel* m_label;
};

} // namespace chrysalis::ui
