#include "arcs/arc_layout.h"

#include <QFontMetricsF>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace chrysalis::ui {

double ArcLayout::arcHeight(int span) const {
  const double s = std::max(1, std::abs(span));
  return levelHeight * (s <= 3 ? s : 3.0 + (s - 3.0) * 0.45);
}

int ArcLayout::wordAt(double x) const {
  if (centres.isEmpty()) return -1;
  int best = 0;
  for (int i = 1; i < centres.size(); ++i)
    if (std::abs(centres[i] - x) < std::abs(centres[best] - x)) best = i;
  return best;
}

QRectF ArcLayout::wordRect(int word) const {
  if (word < 0 || word >= centres.size()) return {};
  // The word's own column: halfway to the neighbours' centres would cut a
  // long word beside a short one ("noncombatants" drawn as "oncombatant").
  const double w = columns.value(word);
  return QRectF(centres[word] - w / 2, wordsTop, w, wordsBottom - wordsTop);
}

ArcLayout ArcLayout::compute(const ArcScene& scene, const QFont& wordFont, const QFont& labelFont,
                             const ArcMetrics& metrics) {
  ArcLayout l;
  const QFontMetricsF wf(wordFont), lf(labelFont);
  l.fontHeight = wf.height();
  l.labelHeight = lf.height();
  l.levelHeight = metrics.levelHeight > 0 ? metrics.levelHeight : 0.8 * l.fontHeight;
  const double spacing = metrics.minSpacing > 0 ? metrics.minSpacing : 3.4 * l.fontHeight;
  const double margin = metrics.margin > 0 ? metrics.margin : 0.75 * l.fontHeight;
  const double gap = 0.6 * l.fontHeight; // between neighbouring words' text
  const int n = scene.size();

  // Columns: wide enough for the word and for the relation labels of the
  // arcs that start at it, never narrower than the minimum spacing.
  QVector<double> widths(n);
  for (int i = 0; i < n; ++i) {
    double w = wf.horizontalAdvance(scene.words[i]) + gap;
    if (scene.gold.value(i) != 0 && std::abs(scene.gold[i] - 1 - i) == 1)
      w = std::max(w, lf.horizontalAdvance(scene.relations.value(i)) + gap);
    widths[i] = std::max(w, spacing);
  }
  double x = margin;
  for (int i = 0; i < n; ++i) {
    l.centres << x + widths[i] / 2;
    l.columns << widths[i];
    x += widths[i];
  }
  l.width = x + margin;

  l.goldSpan = 1;
  for (int i = 0; i < n; ++i)
    if (scene.gold.value(i) != 0)
      l.goldSpan = std::max(l.goldSpan, std::abs(scene.gold[i] - 1 - i));
  l.margin = margin;
  l.goldTop = margin + l.labelHeight / 2;
  l.goldBase = l.goldTop + l.arcHeight(l.goldSpan) + 0.3 * l.fontHeight;
  l.wordsTop = l.goldBase;
  l.wordsBottom = l.wordsTop + l.fontHeight * 1.4;
  l.predictedBase = l.wordsBottom;
  l.fitPrediction(scene);
  return l;
}

void ArcLayout::fitPrediction(const ArcScene& scene) {
  // Below: room for the longest predicted arc, and never less than above, so
  // that the diagram rarely changes height as the cursor moves.
  int predictedSpan = goldSpan;
  const int n = static_cast<int>(centres.size());
  for (int i = 0; i < scene.predicted.size() && i < n; ++i)
    if (scene.predicted[i] > 0)
      predictedSpan = std::max(predictedSpan, std::abs(scene.predicted[i] - 1 - i));
  height = predictedBase + arcHeight(predictedSpan) + 0.3 * fontHeight + labelHeight + margin;
}

} // namespace chrysalis::ui
