#include "runs/checkpoints_model.h"

#include "common/counts.h"
#include "runs/session.h"

#include <QLocale>

#include <cmath>

namespace chrysalis::ui {

CheckpointsModel::CheckpointsModel(Session& session, QObject* parent)
    : QAbstractTableModel(parent), m_session(session) {
  connect(&session, &Session::runChanged, this, [this](int id) {
    if (id == m_runId) reload();
  });
  connect(&session, &Session::runAboutToBeRemoved, this, [this](int index) {
    if (m_session.at(index).id == m_runId) setRun(-1);
  });
}

void CheckpointsModel::setRun(int runId) {
  if (runId == m_runId) return;
  beginResetModel();
  m_runId = runId;
  const OpenRun* run = m_session.find(runId);
  m_rows = run ? static_cast<int>(run->data.checkpoints.size()) : 0;
  endResetModel();
}

void CheckpointsModel::reload() {
  // A growing run only appends checkpoints; anything else resets.
  const OpenRun* run = m_session.find(m_runId);
  const int rows = run ? static_cast<int>(run->data.checkpoints.size()) : 0;
  if (rows >= m_rows) {
    if (rows > m_rows) {
      beginInsertRows({}, m_rows, rows - 1);
      m_rows = rows;
      endInsertRows();
    }
    // New probe results change the Results column of existing rows.
    if (rows > 0) Q_EMIT dataChanged(index(0, 0), index(rows - 1, ColumnCount - 1));
  } else {
    beginResetModel();
    m_rows = rows;
    endResetModel();
  }
}

int CheckpointsModel::rowOf(qint64 step) const {
  const OpenRun* run = m_session.find(m_runId);
  if (!run) return -1;
  const auto& c = run->data.checkpoints;
  for (int i = 0; i < std::min<int>(m_rows, static_cast<int>(c.size())); ++i)
    if (c[i].step == step) return i;
  return -1;
}

int CheckpointsModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : m_rows;
}

int CheckpointsModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant CheckpointsModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const OpenRun* run = m_session.find(m_runId);
  if (!run || index.row() >= run->data.checkpoints.size()) return {};
  const CheckpointRow& c = run->data.checkpoints[index.row()];
  if (role == StepRole) return c.step;
  if (role == Qt::TextAlignmentRole)
    return index.column() == Results ? int(Qt::AlignLeft | Qt::AlignVCenter)
                                     : int(Qt::AlignRight | Qt::AlignVCenter);
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
  case Step:
    return QLocale::c().toString(c.step);
  case Tokens:
    return formatCount(c.tokensSeen);
  case LearningRate:
    return QString::number(c.learningRate, 'e', 1);
  case TrainLoss:
    return std::isnan(c.trainLoss) ? QString() : QString::number(c.trainLoss, 'f', 3);
  case Weights:
    return c.hasWeights ? QStringLiteral("\u2713") : QString();
  case Results:
    return run->data.kindsAt(c.step).join(QStringLiteral(" "));
  default:
    return {};
  }
}

QVariant CheckpointsModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  static const char* const names[] = {"Step", "Tokens", "LR", "Train loss", "Weights", "Results"};
  return section >= 0 && section < ColumnCount ? QString::fromLatin1(names[section]) : QVariant();
}

} // namespace chrysalis::ui
