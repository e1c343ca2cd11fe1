#pragma once
// The BLiMP pairs of one run at the cursor step as a table: task, whether the
// model prefers the grammatical sentence (good PLL > bad PLL), whether that
// flipped since the previous BLiMP result, the PLL margin and both texts.
// One row per scored pair, in scoring order.
#include "sentences/blimp_pairs.h"

#include <QAbstractTableModel>

namespace chrysalis::ui {

class BlimpModel : public QAbstractTableModel {
  Q_OBJECT
public:
  enum Column {
    TaskColumn,
    CorrectColumn,
    FlipColumn,
    MarginColumn,
    GoodColumn,
    BadColumn,
    ColumnCount
  };
  enum Role {
    PhenomenonRole = Qt::UserRole + 1, ///< QString
    TaskRole,                          ///< QString (the UID)
    CorrectRole,                       ///< bool
    FlipRole,                          ///< int: BlimpFlip
  };

  explicit BlimpModel(QObject* parent = nullptr);

  /// @param texts the pairs' texts, or empty when unknown (rows then say "pair N").
  void setContent(const BlimpScores& current, const BlimpScores& previous, const BlimpTexts& texts);
  const BlimpScores& current() const { return m_current; }
  const QVector<BlimpFlip>& flips() const { return m_flips; }
  /// True when the texts belong to the scores (same pair count and tasks).
  bool hasTexts() const { return m_textsMatch; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

private:
  QString taskOf(int pair) const;
  BlimpScores m_current;
  QVector<BlimpFlip> m_flips;
  BlimpTexts m_texts;
  bool m_textsMatch = false;
};

} // namespace chrysalis::ui
