#pragma once
// A layers x heads grid of one quantity at one step, built from the probe
// arrays of docs/probes.md, plus the difference of two grids.
#include "data/step_arrays.h"

#include <QString>
#include <QStringList>
#include <QVector>

class QIODevice;

namespace chrysalis::ui {

enum class HeadQuantity {
  BestRelation, ///< uas/head_best: each head's best accuracy over relations and directions
  Relation,     ///< uas/accuracy[l, h, direction, relation]
  Entropy,      ///< attn/entropy (nats)
  Distance,     ///< attn/distance (words)
  SinkShare,    ///< attn/sink_share: mass content pieces send to [CLS]/[SEP]
  EntropyFull,  ///< attn/entropy_full: content pieces' rows over every key (nats)
  Emergence, ///< each head's breakpoint on its uas/head_best curve over training (emergence_grid.h)
};

struct HeadQuery {
  HeadQuantity quantity = HeadQuantity::BestRelation;
  QString relation;  ///< for Relation
  int direction = 0; ///< for Relation: 0 = dep→head, 1 = head←dep
};

/// The probe kind whose arrays hold the quantity ("uas" or "attn").
QString headQuantityKind(HeadQuantity quantity);
/// "UAS (best relation)", "nsubj, dep→head", "attention entropy (nats)", ...
QString headQueryTitle(const HeadQuery& query);
/// Names for menus, in enum order.
QStringList headQuantityNames();

struct HeadGrid {
  int layers = 0;
  int heads = 0;
  QVector<double> values; ///< [layer * heads + head]; NaN = undefined
  QString title;          ///< what and when, e.g. "UAS (best relation) at step 2k"
  QString unit;           ///< for the legend, e.g. "accuracy"
  bool diverging = false; ///< a difference: colour around zero
  double lo = 0.0, hi = 1.0;
  bool stepValues = false; ///< values are training steps: the legend says "2.5k"
  bool logScale = false;   ///< colours on log10(1 + value): steps over more than two decades
  QVector<bool> marked;    ///< cells crossed out on grey (heads that never emerge); empty = none
  QString markMeaning;     ///< what the cross means, for the legend
  QStringList cellText;    ///< hover text per cell, replacing "unit: value"; empty = that default

  bool isValid() const { return layers > 0 && heads > 0 && values.size() == layers * heads; }
  double at(int layer, int head) const { return values[layer * heads + head]; }
  bool isMarked(int layer, int head) const {
    return !marked.isEmpty() && marked[layer * heads + head];
  }
};

/// What hovering a cell says: its cellText, or "layer L, head H\nunit: value".
QString headCellText(const HeadGrid& grid, int layer, int head);

/// @param error set to a one-line reason when the arrays lack the quantity
///        (always for Emergence, which needs every step: emergence_grid.h).
/// @returns the grid (invalid on error). Accuracy grids span [0, 1]; entropy
///          and distance span [0, the maximum rounded up].
HeadGrid headGridFrom(const StepArrays& arrays, const HeadQuery& query, QString* error = nullptr);
/// a − b, on a symmetric range around zero. Invalid unless shapes match.
HeadGrid headGridDifference(const HeadGrid& a, const HeadGrid& b, const QString& title);
/// The relations in uas/relations (empty when absent).
QStringList headRelations(const StepArrays& arrays);
/// A head's best relations at this step from uas/accuracy, best first, as
/// "nsubj dep→head 0.87". Empty without uas arrays.
QStringList headTopRelations(const StepArrays& arrays, int layer, int head, int count);
/// layer,head,value with 1-based layer and head numbers, as the figure labels them.
void writeHeadGridCsv(const HeadGrid& grid, QIODevice& out);

} // namespace chrysalis::ui
