#pragma once
// The open runs as a table: label (with its colour and a visibility check
// box), checkpoints, probe kinds present. A view adapter over Session.
#include <QAbstractTableModel>

namespace chrysalis::ui {

class Session;

class RunsModel : public QAbstractTableModel {
  Q_OBJECT
public:
  enum Column { Label, Checkpoints, Results, ColumnCount };
  enum Role { RunIdRole = Qt::UserRole + 1, DirRole };

  explicit RunsModel(Session& session, QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  bool setData(const QModelIndex& index, const QVariant& value, int role) override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

  /// Row of a run id, -1 when not open.
  int rowOf(int runId) const;

private:
  Session& m_session;
};

} // namespace chrysalis::ui
