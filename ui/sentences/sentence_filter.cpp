#include "sentences/sentence_filter.h"

#include "sentences/sentence_model.h"

namespace chrysalis::ui {

SentenceFilter::SentenceFilter(QObject* parent) : QSortFilterProxyModel(parent) {
  setSortCaseSensitivity(Qt::CaseInsensitive);
}

void SentenceFilter::setText(const QString& text) {
  const QString t = text.trimmed();
  if (t == m_text) return;
  m_text = t;
  invalidateRowsFilter();
}

void SentenceFilter::setRelation(const QString& relation) {
  if (relation == m_relation) return;
  m_relation = relation;
  invalidateRowsFilter();
}

bool SentenceFilter::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
  const QAbstractItemModel* m = sourceModel();
  if (!m) return false;
  if (!m_relation.isEmpty()) {
    const QStringList relations =
        m->index(sourceRow, 0, sourceParent).data(SentenceModel::RelationsRole).toStringList();
    if (!relations.contains(m_relation)) return false;
  }
  if (m_text.isEmpty()) return true;
  for (int column : {SentenceModel::IdColumn, SentenceModel::TextColumn})
    if (m->index(sourceRow, column, sourceParent)
            .data()
            .toString()
            .contains(m_text, Qt::CaseInsensitive))
      return true;
  return false;
}

} // namespace chrysalis::ui
