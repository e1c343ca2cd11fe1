#pragma once
// What the head grid dock shows, worked out away from the widget: the grid
// of a quantity at the cursor step for the selected run, optionally as a
// difference (run A − run B, or step A − step B), or each head's emergence
// step over the whole run. Arrays load lazily through the shared ArrayCache
// (the steps either side are prefetched), so scrubbing reads only the steps
// the cursor stops at; while the next step of the same run loads, the grid
// shown stays (no flicker), another run's never does. Qt Core only.
#include "cursor/cursor_context.h"
#include "data/run_onsets.h"
#include "data/step_arrays.h"
#include "heads/head_grid.h"

#include <QObject>
#include <QStringList>

#include <memory>

namespace chrysalis::ui {

class EmergenceSource;
class Session;
struct OpenRun;
struct RunData;

class HeadGridFeed : public QObject, public ICursorObserver {
  Q_OBJECT
public:
  enum class Compare { None, Run, Step };

  HeadGridFeed(Session& session, CursorContext& cursor, QObject* parent = nullptr);
  ~HeadGridFeed() override;

  void cursorChanged(const Cursor& cursor, CursorFields changed) override;

  const HeadQuery& query() const { return m_query; }
  void setQuery(const HeadQuery& query);
  Compare compare() const { return m_compare; }
  int compareRun() const { return m_compareRun; }
  qint64 compareStep() const { return m_compareStep; }
  /// Difference mode. @param runId for Compare::Run; @param step for Compare::Step.
  void setCompare(Compare mode, int runId, qint64 step);
  /// The detector emergence steps use (the timelines' Onsets choice).
  void setOnsetSettings(const OnsetSettings& settings);
  EmergenceSource& emergence() const { return *m_emergence; }
  /// The cursor's run, or the first open one.
  const OpenRun* currentRun() const;

  /// The grid to show (invalid: show `message()` instead).
  const HeadGrid& grid() const { return m_grid; }
  const QString& message() const { return m_message; }
  /// A line under the grid: the run, and which step the results are from.
  const QString& info() const { return m_info; }
  /// The step whose results are shown (-1 for none, and for emergence).
  qint64 shownStep() const { return m_shownStep; }
  /// The arrays behind the grid (run A), for the selected head's details.
  std::shared_ptr<const StepArrays> arrays() const { return m_arrays; }

  /// Works out what to show now and says so (gridChanged or infoChanged).
  void refresh();

Q_SIGNALS:
  /// grid(), message(), arrays() and info() changed.
  void gridChanged();
  /// Only info() changed (a step is loading; the grid stays).
  void infoChanged();
  /// The UAS results' relations, and the one the grid now uses.
  void relationsFound(const QStringList& relations, const QString& chosen);

private:
  void refreshEmergence(const OpenRun& run);
  void showNothing(const QString& message);
  void prefetchNeighbours(const RunData& run);
  void chooseRelation(const QStringList& relations);
  void settleCompareTarget(const OpenRun& run);

  Session& m_session;
  CursorContext& m_cursor;
  HeadQuery m_query;
  Compare m_compare = Compare::None;
  int m_compareRun = -1;
  qint64 m_compareStep = 0;
  OnsetSettings m_onsets;
  EmergenceSource* m_emergence;

  ArrayKey m_wantA, m_wantB;
  HeadGrid m_grid;
  QString m_message, m_info;
  qint64 m_shownStep = -1;
  QString m_shownDir; ///< the run whose grid is shown; empty when none is
  std::shared_ptr<const StepArrays> m_arrays;
};

} // namespace chrysalis::ui
