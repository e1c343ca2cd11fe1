#pragma once
// Drawing an arc diagram with QPainter: one function for the widget and for
// the SVG/PNG export. Gold arcs above the words, labelled by relation;
// predicted arcs below, coloured correct or wrong (Okabe–Ito blue and
// vermillion, told apart by colour-blind readers too, and wrong arcs dashed
// so a greyscale print still shows them). Arrows point at the dependent.
#include "arcs/arc_layout.h"

#include <QColor>
#include <QFont>
#include <QRectF>
#include <QVector>

class QPainter;

namespace chrysalis::ui {

struct ArcStyle {
  QFont wordFont;  ///< pixel size set
  QFont labelFont; ///< pixel size set
  QColor background = Qt::white;
  QColor text = Qt::black;
  QColor gold = QColor(0x44, 0x44, 0x44);
  QColor correct = QColor(0x00, 0x72, 0xB2);
  QColor wrong = QColor(0xD5, 0x5E, 0x00);
  QColor highlight = QColor(0xE6, 0x9F, 0x00); ///< the word under the mouse
  double lineWidth = 1.4;

  /// The app's style for a palette (dark or light) and the widget's font.
  static ArcStyle forScreen(const QFont& font, bool dark);
  /// Black on white at a point size, in figure units (kUnitsPerPoint per point).
  static ArcStyle forPaper(const QString& family, double points, double unitsPerPoint);
};

/// Paints the diagram with its top-left corner at the painter's origin.
/// @param hovered a word to highlight with its arcs, or -1.
void paintArcs(QPainter& painter, const ArcScene& scene, const ArcLayout& layout,
               const ArcStyle& style, int hovered = -1);

/// paintArcs() in two parts that do not overlap: what depends only on the
/// sentence (gold arcs, their labels, the words: above layout.wordsBottom)
/// and the predicted arcs (below it). The view caches the first while the
/// cursor moves.
/// `visible` (layout coordinates), when not null, skips what lies outside it:
/// a 500-word sentence in a scroll area shows a fiftieth of its arcs.
/// `labelBoxes` (from goldLabelBoxes, for this scene, layout and style), when
/// given, saves placing the labels again.
void paintGoldAndWords(QPainter& painter, const ArcScene& scene, const ArcLayout& layout,
                       const ArcStyle& style, int hovered = -1, const QRectF& visible = {},
                       const QVector<QRectF>* labelBoxes = nullptr);
/// Where each word's gold relation label goes (by word): what placing them
/// costs grows with the square of the words, so a view keeps it.
QVector<QRectF> goldLabelBoxes(const ArcScene& scene, const ArcLayout& layout,
                               const ArcStyle& style);
void paintPredictedArcs(QPainter& painter, const ArcScene& scene, const ArcLayout& layout,
                        const ArcStyle& style, int hovered = -1, const QRectF& visible = {});

/// Whether two styles draw alike (the view's cache key).
bool operator==(const ArcStyle& a, const ArcStyle& b);

} // namespace chrysalis::ui
