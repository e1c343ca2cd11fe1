#pragma once
// Zoom history of the shared step axis, owning its Back and Reset actions
// (house-style §11), so menus, toolbars and charts all drive the same stack.
#include "common/step_axis.h"

#include <QObject>
#include <QVector>

class QAction;

namespace chrysalis::ui {

class ZoomStack : public QObject {
  Q_OBJECT
public:
  explicit ZoomStack(QObject* parent = nullptr);

  /// The whole data range; resets the history when it is not zoomed.
  void setFullRange(const StepRange& range);
  StepRange fullRange() const { return m_full; }
  /// The range shown: the top of the stack, or the full range.
  StepRange current() const;
  bool isZoomed() const { return !m_stack.isEmpty(); }

  void zoomTo(const StepRange& range);
  void back();
  void reset();

  QAction* backAction() const { return m_back; }
  QAction* resetAction() const { return m_reset; }

Q_SIGNALS:
  void changed(const chrysalis::ui::StepRange& range);

private:
  void updateActions();
  StepRange m_full;
  QVector<StepRange> m_stack;
  QAction* m_back;
  QAction* m_reset;
};

} // namespace chrysalis::ui
