#pragma once
// Holds a QLabel whose text follows the cursor (a step, a score). QLabel asks
// the layouts around it to lay out again at every setText, and with rich,
// wrapped text that re-layout cost ~0.4 ms per panel per cursor move
// (docs/performance.md, "GUI scrub latency"). The box takes the label's
// requests and passes one on only when the size the label wants changed
// (in a direction whose size policy is not Ignored: there the layout gives
// what it has whatever the label wants). The label fills its background, so
// a repaint of it does not repaint the dock and panels behind it.
#include <QSize>
#include <QWidget>

class QLabel;

namespace chrysalis::ui {

class LabelBox : public QWidget {
public:
  /// Follow: the box wants what its label wants. Widest: it keeps the widest
  /// size its label has wanted and asks for no minimum width, for a short
  /// label beside others whose text changes at each move (a step, a count):
  /// a number that shortens then moves nothing beside it, and a wrapping
  /// rich-text title beside it is not laid out again at each move. Widest is
  /// for labels that do not wrap (a wrapping label's box follows its height
  /// for the width it has).
  enum class Sizing { Follow, Widest };

  /// Takes `label` as its only child; the box has the label's size policy.
  explicit LabelBox(QLabel* label, QWidget* parent = nullptr, Sizing sizing = Sizing::Follow);

  QLabel* label() const { return m_label; }
  QSize sizeHint() const override { return m_hint; }
  QSize minimumSizeHint() const override { return m_minimumHint; }
  bool hasHeightForWidth() const override;
  int heightForWidth(int width) const override;

protected:
  bool event(QEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

private:
  // Reads the label's wanted sizes; asks for a re-layout only if they changed.
  void takeLabelSizes();
  // `size` without the directions the layout ignores.
  QSize counted(QSize size) const;

  QLabel* m_label;
  Sizing m_sizing;
  QSize m_hint, m_minimumHint;
  int m_heightHere = -1; // the label's height for the box's width
};

} // namespace chrysalis::ui
