#include "sentences/blimp_model.h"

#include <QColor>

namespace chrysalis::ui {

BlimpModel::BlimpModel(QObject* parent) : QAbstractTableModel(parent) {}

void BlimpModel::setContent(const BlimpScores& current, const BlimpScores& previous,
                            const BlimpTexts& texts) {
  const bool sameRows = current.size() == m_current.size();
  // The same files read (implicitly shared: equal pairs compare at once).
  const bool sameTexts = texts.dir == m_texts.dir && texts.hash == m_texts.hash &&
                         texts.pairs.constData() == m_texts.pairs.constData();
  const bool textsMatched = m_textsMatch;
  if (!sameRows) beginResetModel();
  m_current = current;
  m_flips = blimpFlips(previous, current);
  m_texts = texts;
  m_textsMatch = texts.pairs.size() == current.size();
  for (int p = 0; m_textsMatch && p < current.size(); ++p)
    m_textsMatch = texts.pairs[p].task == current.tasks.value(current.task[p]);
  if (!sameRows) {
    endResetModel();
  } else if (rowCount() > 0) {
    // Scrubbing keeps the rows (the same pairs): repaint them, keep the
    // selection. While the texts stay only the step's columns change, so
    // the view repaints those (not the sentences) and the proxy does not
    // re-sort a list sorted by task or sentence.
    const bool textsSame = sameTexts && textsMatched == m_textsMatch;
    Q_EMIT dataChanged(index(0, textsSame ? CorrectColumn : 0),
                       index(rowCount() - 1, textsSame ? MarginColumn : ColumnCount - 1));
  }
}

int BlimpModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : m_current.size();
}

int BlimpModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QString BlimpModel::taskOf(int pair) const {
  return m_current.tasks.value(m_current.task[pair]);
}

QVariant BlimpModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
    return {};
  const int p = index.row();
  const bool ok = m_current.correct(p);
  const BlimpFlip flip = m_flips.value(p, BlimpFlip::None);
  switch (role) {
  case Qt::DisplayRole:
    switch (index.column()) {
    case TaskColumn:
      return taskOf(p);
    case CorrectColumn:
      return ok ? QStringLiteral("\u2713") : QStringLiteral("\u2717");
    case FlipColumn:
      return flip == BlimpFlip::BecameCorrect ? QStringLiteral("\u2191 now correct")
             : flip == BlimpFlip::BecameWrong ? QStringLiteral("\u2193 now wrong")
                                              : QString();
    case MarginColumn:
      return m_current.good[p] - m_current.bad[p]; // a double: sorts numerically
    case GoodColumn:
      return m_textsMatch ? m_texts.pairs[p].good : QStringLiteral("pair %1").arg(p + 1);
    case BadColumn:
      return m_textsMatch ? m_texts.pairs[p].bad : QString();
    }
    return {};
  case Qt::ToolTipRole:
    return QStringLiteral("%1\ngood PLL %2, bad PLL %3%4")
        .arg(taskOf(p))
        .arg(m_current.good[p], 0, 'f', 2)
        .arg(m_current.bad[p], 0, 'f', 2)
        .arg(m_textsMatch ? QStringLiteral("\n\u2713 ") + m_texts.pairs[p].good +
                                QStringLiteral("\n\u2717 ") + m_texts.pairs[p].bad
                          : QString());
  case Qt::ForegroundRole:
    // Okabe–Ito blue and vermillion, as the arcs: correct vs wrong.
    if (index.column() == CorrectColumn)
      return ok ? QColor(0x00, 0x72, 0xB2) : QColor(0xD5, 0x5E, 0x00);
    if (index.column() == FlipColumn && flip != BlimpFlip::None)
      return flip == BlimpFlip::BecameCorrect ? QColor(0x00, 0x72, 0xB2) : QColor(0xD5, 0x5E, 0x00);
    return {};
  case Qt::TextAlignmentRole:
    return index.column() == MarginColumn || index.column() == CorrectColumn
               ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
               : QVariant();
  case PhenomenonRole:
    return m_current.phenomena.value(m_current.task[p]);
  case TaskRole:
    return taskOf(p);
  case CorrectRole:
    return ok;
  case FlipRole:
    return static_cast<int>(flip);
  }
  return {};
}

QVariant BlimpModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal) return {};
  if (role == Qt::ToolTipRole && section == MarginColumn)
    return QStringLiteral(
        "PLL(good) \u2212 PLL(bad): positive when the model prefers the grammatical sentence");
  if (role != Qt::DisplayRole) return {};
  switch (section) {
  case TaskColumn:
    return QStringLiteral("Task");
  case CorrectColumn:
    return QStringLiteral("OK");
  case FlipColumn:
    return QStringLiteral("Flip");
  case MarginColumn:
    return QStringLiteral("\u0394PLL");
  case GoodColumn:
    return QStringLiteral("Grammatical");
  case BadColumn:
    return QStringLiteral("Ungrammatical");
  }
  return {};
}

} // namespace chrysalis::ui
