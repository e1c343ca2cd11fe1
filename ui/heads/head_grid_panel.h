#pragma once
// The head grid dock: shows what its HeadGridFeed works out (a quantity at
// the cursor step, a difference of runs or steps, or each head's emergence)
// with the controls that set the feed's query. Clicking a head selects it in
// the cursor context; the details below list its value and best relations.
#include "cursor/cursor_context.h"
#include "heads/head_grid_feed.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;

namespace chrysalis::ui {

class EmergenceSource;
class HeadGridView;
class Session;
struct OpenRun;
struct RunData;

class HeadGridPanel : public QWidget, public ICursorObserver {
  Q_OBJECT
public:
  using Compare = HeadGridFeed::Compare;

  HeadGridPanel(Session& session, CursorContext& cursor, QWidget* parent = nullptr);
  ~HeadGridPanel() override;

  void cursorChanged(const Cursor& cursor, CursorFields changed) override;

  HeadQuery query() const;
  void setQuery(const HeadQuery& query);
  /// Difference mode. @param runId for Compare::Run; @param step for Compare::Step.
  void setCompare(Compare mode, int runId = -1, qint64 step = 0);
  HeadGridView* view() const { return m_view; }
  /// The grid shown (invalid while nothing is loaded).
  const HeadGrid& grid() const;
  /// The step whose results are shown for the selected run (-1 for none,
  /// and for emergence, which is over every step).
  qint64 shownStep() const;
  /// The detector emergence steps use (the timelines' Onsets choice).
  void setOnsetSettings(const OnsetSettings& settings);
  EmergenceSource& emergence() const;
  HeadGridFeed& feed() const { return *m_feed; }

Q_SIGNALS:
  void gridChanged();

private:
  void showGrid();
  void syncControls();
  void fillRunCombos();
  void setRelations(const QStringList& relations, const QString& chosen);
  void updateDetails();

  Session& m_session;
  CursorContext& m_cursor;
  HeadGridFeed* m_feed;

  HeadGridView* m_view;
  QComboBox* m_quantity;
  QComboBox* m_relation;
  QComboBox* m_direction;
  QComboBox* m_compareMode;
  QComboBox* m_compareWith; // runs or steps, by mode
  QLabel* m_info;
  QLabel* m_detailsTitle;     // the selected head's name: changes with the head only
  QLabel* m_details;          // its value: changes with the step
  QLabel* m_detailsRelations; // its best relations (UAS): change with the step
};

} // namespace chrysalis::ui
