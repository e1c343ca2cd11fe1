#pragma once
// The head grid dock: a quantity at the cursor step for the selected run,
// optionally as a difference (run A − run B, or step A − step B). Clicking a
// head selects it in the cursor context; arrays load lazily through the
// shared ArrayCache, so scrubbing reads only the steps the cursor stops at.
#include "cursor/cursor_context.h"
#include "data/run_onsets.h"
#include "data/step_arrays.h"
#include "heads/head_grid.h"

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
  enum class Compare { None, Run, Step };

  HeadGridPanel(Session& session, CursorContext& cursor, QWidget* parent = nullptr);
  ~HeadGridPanel() override;

  void cursorChanged(const Cursor& cursor, CursorFields changed) override;

  HeadQuery query() const { return m_query; }
  void setQuery(const HeadQuery& query);
  /// Difference mode. @param runId for Compare::Run; @param step for Compare::Step.
  void setCompare(Compare mode, int runId = -1, qint64 step = 0);
  HeadGridView* view() const { return m_view; }
  /// The grid shown (invalid while nothing is loaded).
  const HeadGrid& grid() const;
  /// The step whose results are shown for the selected run (-1 for none,
  /// and for emergence, which is over every step).
  qint64 shownStep() const { return m_shownStep; }
  /// The detector emergence steps use (the timelines' Onsets choice).
  void setOnsetSettings(const OnsetSettings& settings);
  EmergenceSource& emergence() const { return *m_emergence; }

Q_SIGNALS:
  void gridChanged();

private:
  const OpenRun* currentRun() const;
  void refresh();
  void refreshEmergence(const OpenRun& run);
  void showNothing(const QString& message);
  void prefetchNeighbours(const RunData& run);
  void syncControls();
  void fillRunCombos();
  void setRelations(const QStringList& relations);
  void onArraysReady(const ArrayKey& key);
  void updateDetails();

  Session& m_session;
  CursorContext& m_cursor;
  HeadQuery m_query;
  Compare m_compare = Compare::None;
  int m_compareRun = -1;
  qint64 m_compareStep = 0;
  ArrayKey m_wantA, m_wantB;
  qint64 m_shownStep = -1;
  QString m_shownDir; ///< the run whose grid is shown; empty when none is
  OnsetSettings m_onsets;
  EmergenceSource* m_emergence;

  HeadGridView* m_view;
  QComboBox* m_quantity;
  QComboBox* m_relation;
  QComboBox* m_direction;
  QComboBox* m_compareMode;
  QComboBox* m_compareWith; // runs or steps, by mode
  QLabel* m_info;
  QLabel* m_details;                          // the selected head: value and best relations
  std::shared_ptr<const StepArrays> m_arrays; // the arrays shown (run A)
};

} // namespace chrysalis::ui
