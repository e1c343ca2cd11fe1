#include "runs/runs_model.h"

#include "runs/run_colours.h"
#include "runs/session.h"

namespace chrysalis::ui {

RunsModel::RunsModel(Session& session, QObject* parent)
    : QAbstractTableModel(parent), m_session(session) {
  connect(&session, &Session::runAboutToBeAdded, this,
          [this](int index) { beginInsertRows({}, index, index); });
  connect(&session, &Session::runAdded, this, [this] { endInsertRows(); });
  connect(&session, &Session::runAboutToBeRemoved, this,
          [this](int index) { beginRemoveRows({}, index, index); });
  connect(&session, &Session::runRemoved, this, [this] { endRemoveRows(); });
  connect(&session, &Session::runChanged, this, [this](int id) {
    const int row = rowOf(id);
    if (row >= 0) Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
  });
}

int RunsModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : m_session.count();
}

int RunsModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

int RunsModel::rowOf(int runId) const {
  return m_session.indexOf(runId);
}

QVariant RunsModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const OpenRun& run = m_session.at(index.row());
  const RunData& d = run.data;
  if (role == RunIdRole) return run.id;
  if (role == DirRole) return d.dir;
  if (role == Qt::ToolTipRole) {
    QString tip = d.dir;
    if (!d.problems.isEmpty())
      tip += QStringLiteral("\n%1 unreadable file(s):\n").arg(d.problems.size()) +
             d.problems.mid(0, 5).join(QLatin1Char('\n'));
    return tip;
  }
  switch (index.column()) {
  case Label:
    if (role == Qt::DisplayRole) return d.label;
    if (role == Qt::DecorationRole) return runColour(run);
    if (role == Qt::CheckStateRole) return run.visible ? Qt::Checked : Qt::Unchecked;
    break;
  case Checkpoints:
    if (role == Qt::DisplayRole) {
      int withWeights = 0;
      for (const auto& c : d.checkpoints)
        withWeights += c.hasWeights ? 1 : 0;
      if (withWeights == d.checkpoints.size()) return QString::number(d.checkpoints.size());
      if (withWeights == 0) return QStringLiteral("%1, no weights").arg(d.checkpoints.size());
      return QStringLiteral("%1 (%2 with weights)").arg(d.checkpoints.size()).arg(withWeights);
    }
    if (role == Qt::TextAlignmentRole) return int(Qt::AlignRight | Qt::AlignVCenter);
    break;
  case Results:
    if (role == Qt::DisplayRole) return d.kinds().join(QStringLiteral(", "));
    break;
  default:
    break;
  }
  return {};
}

bool RunsModel::setData(const QModelIndex& index, const QVariant& value, int role) {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return false;
  if (index.column() != Label || role != Qt::CheckStateRole) return false;
  // Session::runChanged() emits dataChanged for the row.
  m_session.setVisible(m_session.at(index.row()).id,
                       static_cast<Qt::CheckState>(value.toInt()) == Qt::Checked);
  return true;
}

Qt::ItemFlags RunsModel::flags(const QModelIndex& index) const {
  Qt::ItemFlags f = QAbstractTableModel::flags(index);
  if (index.isValid() && index.column() == Label) f |= Qt::ItemIsUserCheckable;
  return f;
}

QVariant RunsModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
  case Label:
    return QStringLiteral("Run");
  case Checkpoints:
    return QStringLiteral("Checkpoints");
  case Results:
    return QStringLiteral("Results");
  default:
    return {};
  }
}

} // namespace chrysalis::ui
