#pragma once
// The Dependency Arcs dock: the cursor's sentence with its gold arcs above
// and the selected head's predicted arcs below (scrolling sideways for long
// sentences), and beside it that head's attention matrix, over words or
// wordpieces. Both follow the cursor step, head and sentence through the
// AttentionFeed, which asks for the pieces only while the matrix shows them.
#include "arcs/arc_parse.h"
#include "cursor/cursor_context.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QScrollArea;

namespace chrysalis::ui {

class ArcView;
class AttentionFeed;
class AttentionMatrixView;
struct ProbeSentence;

class ArcsPanel : public QWidget, public ICursorObserver {
  Q_OBJECT
public:
  ArcsPanel(AttentionFeed& feed, CursorContext& cursor, QWidget* parent = nullptr);
  ~ArcsPanel() override;
  /// The step label says where the cursor is when the result stays the same.
  void cursorChanged(const Cursor& cursor, CursorFields changed) override;

  ArcView* arcView() const { return m_arcs; }
  AttentionMatrixView* matrixView() const { return m_matrix; }
  QScrollArea* scrollArea() const { return m_scroll; }
  QString headline() const;
  /// The step whose attention the arcs show, or -1 when none is shown.
  qint64 shownStep() const;
  ArcDirection direction() const { return m_direction; }
  void setDirection(ArcDirection direction);
  /// While the sentence list's filters match nothing, the arcs say so rather
  /// than show a sentence that is not in the list.
  void setFilteredOut(bool filteredOut);

  /// The diagram shown, titled with what it shows (sentence, head and the
  /// step of the weights) for export/arc_export.h.
  ArcScene sceneForExport() const;

Q_SIGNALS:
  void exportRequested();
  void matrixExportRequested();

private:
  void refresh();
  void clearStepAndScore();
  void showStep(); // the result's step, and the cursor's when it differs
  void refreshMatrix(const ProbeSentence& sentence);

  AttentionFeed& m_feed;
  CursorContext& m_cursor;
  ArcDirection m_direction = ArcDirection::DepToHead;
  bool m_filteredOut = false;
  // Rich text is parsed again at each setText (~0.3 ms a label at every
  // cursor move), so only the title, which changes with the sentence and
  // head, is rich; the step and the score, which follow the cursor, are
  // plain text.
  QLabel* m_title;
  QLabel* m_step;
  QLabel* m_scoreCorrect; // "✓ 12", in the colour of right arcs
  QLabel* m_scoreOf;      // " / 40 words
  QComboBox* m_directionBox;
  QScrollArea* m_scroll;
  ArcView* m_arcs;
  AttentionMatrixView* m_matrix;
};

} // namespace chrysalis::ui
