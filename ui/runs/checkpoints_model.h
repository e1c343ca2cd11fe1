#pragma once
// The selected run's checkpoints as a table: step, tokens, learning rate,
// training loss, whether the weights are kept, and which probe results exist.
#include <QAbstractTableModel>

namespace chrysalis::ui {

class Session;

class CheckpointsModel : public QAbstractTableModel {
  Q_OBJECT
public:
  enum Column { Step, Tokens, LearningRate, TrainLoss, Weights, Results, ColumnCount };
  enum Role { StepRole = Qt::UserRole + 1 };

  explicit CheckpointsModel(Session& session, QObject* parent = nullptr);

  /// Shows this run's checkpoints (-1: none).
  void setRun(int runId);
  int runId() const { return m_runId; }
  /// Row of a step, -1 when the run has no checkpoint there.
  int rowOf(qint64 step) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
  void reload();
  Session& m_session;
  int m_runId = -1;
  int m_rows = 0; // rows the views know about
};

} // namespace chrysalis::ui
