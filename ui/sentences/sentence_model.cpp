#include "sentences/sentence_model.h"

namespace chrysalis::ui {

SentenceModel::SentenceModel(QObject* parent) : QAbstractTableModel(parent) {}

void SentenceModel::setProbeSet(const ProbeSetData& set) {
  beginResetModel();
  m_set = set;
  endResetModel();
}

int SentenceModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_set.sentences.size());
}

int SentenceModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant SentenceModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const ProbeSentence& s = m_set.sentences[index.row()];
  switch (role) {
  case Qt::DisplayRole:
    switch (index.column()) {
    case IdColumn:
      return s.id;
    case LengthColumn:
      return s.size(); // an int, so the proxy sorts numerically
    case TextColumn:
      return s.text();
    }
    return {};
  case Qt::ToolTipRole:
    return QStringLiteral("%1 \u00B7 %2 words\n%3").arg(s.id).arg(s.size()).arg(s.text());
  case Qt::TextAlignmentRole:
    return index.column() == LengthColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                          : QVariant();
  case IndexRole:
    return index.row();
  case RelationsRole:
    return s.relations;
  }
  return {};
}

QVariant SentenceModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
  case IdColumn:
    return QStringLiteral("Id");
  case LengthColumn:
    return QStringLiteral("Words");
  case TextColumn:
    return QStringLiteral("Sentence");
  }
  return {};
}

} // namespace chrysalis::ui
