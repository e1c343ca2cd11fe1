#include "runs/runs_panel.h"

#include "runs/checkpoints_model.h"
#include "runs/runs_model.h"
#include "runs/session.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include <cstdlib>

namespace chrysalis::ui {

RunsPanel::RunsPanel(Session& session, CursorContext& cursor, QWidget* parent)
    : QWidget(parent), m_session(session), m_cursor(cursor) {
  m_runs = new RunsModel(session, this);
  m_checkpoints = new CheckpointsModel(session, this);

  m_runsView = new QTreeView;
  m_runsView->setObjectName(QStringLiteral("runs-view"));
  m_runsView->setModel(m_runs);
  m_runsView->setRootIsDecorated(false);
  m_runsView->setUniformRowHeights(true);
  m_runsView->setFocusPolicy(Qt::NoFocus); // arrow keys step through checkpoints
  m_runsView->header()->setStretchLastSection(true);
  m_runsView->header()->setSectionResizeMode(RunsModel::Label, QHeaderView::ResizeToContents);

  m_checkpointsView = new QTableView;
  m_checkpointsView->setObjectName(QStringLiteral("checkpoints-view"));
  m_checkpointsView->setModel(m_checkpoints);
  m_checkpointsView->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_checkpointsView->setSelectionMode(QAbstractItemView::SingleSelection);
  m_checkpointsView->setFocusPolicy(Qt::NoFocus);
  m_checkpointsView->verticalHeader()->hide();
  m_checkpointsView->verticalHeader()->setDefaultSectionSize(
      m_checkpointsView->fontMetrics().height() + 6);
  m_checkpointsView->horizontalHeader()->setStretchLastSection(true);
  m_checkpointsView->setAlternatingRowColors(true);
  auto fitColumns = [this] { m_checkpointsView->resizeColumnsToContents(); };
  connect(m_checkpoints, &QAbstractItemModel::modelReset, this, fitColumns);
  connect(m_checkpoints, &QAbstractItemModel::rowsInserted, this, fitColumns);
  setMinimumWidth(200); // columns scroll; a 1280-pixel laptop screen must fit

  auto* open = new QToolButton;
  open->setText(QStringLiteral("Open\u2026"));
  open->setToolTip(QStringLiteral("Open a series folder (Ctrl+O)"));
  auto* close = new QToolButton;
  close->setText(QStringLiteral("Close"));
  close->setToolTip(QStringLiteral("Close the selected run"));
  connect(open, &QToolButton::clicked, this, &RunsPanel::openRequested);
  connect(close, &QToolButton::clicked, this, [this] {
    if (m_cursor.cursor().run > 0) Q_EMIT closeRequested(m_cursor.cursor().run);
  });
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(open);
  buttons->addWidget(close);
  buttons->addStretch(1);

  auto* top = new QWidget;
  auto* topLayout = new QVBoxLayout(top);
  topLayout->setContentsMargins(0, 0, 0, 0);
  topLayout->addLayout(buttons);
  topLayout->addWidget(m_runsView);
  auto* split = new QSplitter(Qt::Vertical);
  split->addWidget(top);
  split->addWidget(m_checkpointsView);
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 3);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(split);

  connect(m_runsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) {
            if (!current.isValid()) return;
            const int id = current.siblingAtColumn(0).data(RunsModel::RunIdRole).toInt();
            m_checkpoints->setRun(id);
            m_cursor.setRun(id, this);
            selectStep(m_cursor.cursor().step);
          });
  connect(m_checkpointsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) {
            if (current.isValid())
              m_cursor.setStep(current.data(CheckpointsModel::StepRole).toLongLong(), this);
          });
  // Rows appended by a growing run: keep the cursor's row selected.
  connect(m_checkpoints, &QAbstractItemModel::rowsInserted, this,
          [this] { selectStep(m_cursor.cursor().step); });
  m_cursor.addObserver(this);
}

RunsPanel::~RunsPanel() {
  m_cursor.removeObserver(this);
}

void RunsPanel::selectRun(int runId) {
  m_checkpoints->setRun(runId);
  const int row = m_runs->rowOf(runId);
  const QSignalBlocker b(m_runsView->selectionModel());
  if (row >= 0)
    m_runsView->selectionModel()->setCurrentIndex(
        m_runs->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  else
    m_runsView->selectionModel()->clear();
  m_runsView->viewport()->update();
}

void RunsPanel::selectStep(qint64 step) {
  const int row = m_checkpoints->rowOf(step);
  const QModelIndex before = m_checkpointsView->selectionModel()->currentIndex();
  // Programmatic selection must not echo back into the cursor (house-style §10).
  const QSignalBlocker b(m_checkpointsView->selectionModel());
  if (row < 0) {
    m_checkpointsView->selectionModel()->clear();
    m_checkpointsView->viewport()->update();
    return;
  }
  const QModelIndex index = m_checkpoints->index(row, 0);
  m_checkpointsView->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                                  QItemSelectionModel::Rows);
  followWithPages(index, before);
  // The blocked signals would have told the view; only the rows that lost
  // and gained the selection are repainted (a scroll repaints what it shows).
  for (const QModelIndex& changed : {before, index}) {
    if (!changed.isValid()) continue;
    const QRect cell = m_checkpointsView->visualRect(changed);
    m_checkpointsView->viewport()->update(
        QRect(0, cell.top(), m_checkpointsView->viewport()->width(), cell.height()));
  }
}

void RunsPanel::followWithPages(const QModelIndex& index, const QModelIndex& before) {
  const QRect shown = m_checkpointsView->viewport()->rect();
  const QRect cell = m_checkpointsView->visualRect(index);
  // Rows only: a list scrolled sideways still shows the row.
  if (cell.top() >= shown.top() && cell.bottom() <= shown.bottom()) return;
  // Stepping off the bottom (or top) edge turns a page, so the list scrolls
  // once per screenful instead of at every step of a scrub: a scroll repaints
  // the list and its scroll bar (~0.7 ms a move, bench_gui_scrub --profile).
  // A jump elsewhere centres the row.
  const bool stepped = before.isValid() && std::abs(before.row() - index.row()) == 1;
  const auto hint = !stepped                     ? QAbstractItemView::PositionAtCenter
                    : index.row() > before.row() ? QAbstractItemView::PositionAtTop
                                                 : QAbstractItemView::PositionAtBottom;
  m_checkpointsView->scrollTo(index, hint);
}

void RunsPanel::cursorChanged(const Cursor& cursor, CursorFields changed) {
  if (changed & CursorField::Run) selectRun(cursor.run);
  if (changed & (CursorField::Step | CursorField::Run)) selectStep(cursor.step);
}

} // namespace chrysalis::ui
