#pragma once
// Where the parts of an arc diagram go (house-style §11: pixel math in a
// value struct, tested on its own). Words sit in one row at a minimum
// spacing, so long sentences grow wider (the view scrolls) instead of
// squashing their arcs; gold arcs rise above the row, predicted arcs hang
// below it, and an arc's height grows with its span.
#include "arcs/arc_parse.h"

#include <QFont>
#include <QRectF>
#include <QVector>

namespace chrysalis::ui {

struct ArcMetrics {
  double minSpacing = 0;  ///< least distance between word centres; 0: 3.4 × the font height
  double levelHeight = 0; ///< height of a span-1 arc; 0: 0.8 × the font height
  double margin = 0;      ///< around the diagram; 0: 0.75 × the font height
};

struct ArcLayout {
  QVector<double> centres; ///< x of each word's centre
  QVector<double> columns; ///< each word's column width (its text fits in it)
  double width = 0;
  double height = 0;
  double goldTop = 0;  ///< y of the highest gold arc's apex (the root arrow starts here)
  double goldBase = 0; ///< y where gold arcs leave the words (top of the word row)
  double wordsTop = 0;
  double wordsBottom = 0;
  double predictedBase = 0; ///< y where predicted arcs leave the words
  double levelHeight = 0;
  double fontHeight = 0;
  double labelHeight = 0;
  double margin = 0;
  int goldSpan = 1; ///< the longest gold arc's span (at least 1)

  /// Height of an arc over `span` words: linear for short arcs, then growing
  /// more slowly, so a long arc neither dwarfs the short ones nor hides behind them.
  double arcHeight(int span) const;
  /// The word whose column contains x (nearest centre), or -1.
  int wordAt(double x) const;
  QRectF wordRect(int word) const;

  /// Sets the height for `scene`'s predicted arcs, the rest as it is: a new
  /// parse of the same sentence (a cursor move) need not measure its words.
  void fitPrediction(const ArcScene& scene);

  /// @param wordFont, labelFont fonts with pixel sizes, in the units to lay out in.
  static ArcLayout compute(const ArcScene& scene, const QFont& wordFont, const QFont& labelFont,
                           const ArcMetrics& metrics = {});
};

} // namespace chrysalis::ui
