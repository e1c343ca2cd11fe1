#pragma once
// The Runs dock: the open runs (RunsModel) with their colours and visibility,
// and below them the selected run's checkpoints. Selecting a run or a
// checkpoint moves the cursor context; the cursor moving selects them here.
#include "cursor/cursor_context.h"

#include <QWidget>

class QTableView;
class QTreeView;

namespace chrysalis::ui {

class CheckpointsModel;
class RunsModel;
class Session;

class RunsPanel : public QWidget, public ICursorObserver {
  Q_OBJECT
public:
  RunsPanel(Session& session, CursorContext& cursor, QWidget* parent = nullptr);
  ~RunsPanel() override;

  void cursorChanged(const Cursor& cursor, CursorFields changed) override;
  RunsModel* runsModel() const { return m_runs; }
  CheckpointsModel* checkpointsModel() const { return m_checkpoints; }
  QTreeView* runsView() const { return m_runsView; }
  QTableView* checkpointsView() const { return m_checkpointsView; }

Q_SIGNALS:
  void openRequested();
  void closeRequested(int runId);

private:
  void selectRun(int runId);
  void selectStep(qint64 step);
  // Keeps the current checkpoint row in view, a page at a time while stepping.
  void followWithPages(const QModelIndex& index, const QModelIndex& before);

  Session& m_session;
  CursorContext& m_cursor;
  RunsModel* m_runs;
  CheckpointsModel* m_checkpoints;
  QTreeView* m_runsView;
  QTableView* m_checkpointsView;
};

} // namespace chrysalis::ui
