#include "sentences/blimp_filter.h"

#include "sentences/blimp_model.h"

namespace chrysalis::ui {

BlimpFilter::BlimpFilter(QObject* parent) : QSortFilterProxyModel(parent) {
  setSortCaseSensitivity(Qt::CaseInsensitive);
}

void BlimpFilter::setPhenomenon(const QString& phenomenon) {
  if (phenomenon == m_phenomenon) return;
  m_phenomenon = phenomenon;
  invalidateRowsFilter();
}

void BlimpFilter::setTask(const QString& task) {
  if (task == m_task) return;
  m_task = task;
  invalidateRowsFilter();
}

void BlimpFilter::setFlippedOnly(bool on) {
  if (on == m_flippedOnly) return;
  m_flippedOnly = on;
  invalidateRowsFilter();
}

bool BlimpFilter::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
  const QAbstractItemModel* m = sourceModel();
  if (!m) return false;
  const QModelIndex i = m->index(sourceRow, 0, sourceParent);
  if (!m_phenomenon.isEmpty() && i.data(BlimpModel::PhenomenonRole).toString() != m_phenomenon)
    return false;
  if (!m_task.isEmpty() && i.data(BlimpModel::TaskRole).toString() != m_task) return false;
  if (m_flippedOnly && i.data(BlimpModel::FlipRole).toInt() == static_cast<int>(BlimpFlip::None))
    return false;
  return true;
}

} // namespace chrysalis::ui
