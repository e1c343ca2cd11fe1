#include "arcs/arc_parse.h"
#include "arcs/map_maximum.h"

#include <algorithm>

namespace chrysalis::ui {

QVector<int> predictedParents(const float* map, int size, ArcDirection direction) {
  QVector<int> parents;
  if (!map || size < 3) return parents;
  const int n = size - 2;
  // What the probe computes (core/probes/uas.cpp): for each word i, the first
  // j in 1..n with the largest value, the diagonal counted as 0; strict '>'
  // from -1, so NaN never wins and the diagonal's 0 beats anything below it.
  parents.resize(n);
  if (direction == ArcDirection::DepToHead) {
    // Row i: its maximum either side of the diagonal (whose 0 is among the
    // candidates: maximumFromZero starts there), then the first place it occurs.
    for (int i = 1; i <= n; ++i) {
      const float* row = map + static_cast<qsizetype>(i) * size;
      const float before = maximumFromZero(row + 1, i - 1),
                  after = maximumFromZero(row + i + 1, n - i);
      const float top = std::max(before, after);
      int best = i;
      for (int j = 1; j <= n; ++j)
        if ((j == i ? 0.0f : row[j]) == top) {
          best = j;
          break;
        }
      parents[i - 1] = best;
    }
    return parents;
  }
  // Column i, swept a row at a time (the map is row-major): every word's
  // best so far is updated from row j in order, so ties keep the first j.
  QVector<float> bestValue(n, -1.0f);
  for (int j = 1; j <= n; ++j) {
    const float* row = map + static_cast<qsizetype>(j) * size;
    for (int i = 1; i <= n; ++i) {
      const float v = j == i ? 0.0f : row[i];
      if (v > bestValue[i - 1]) {
        bestValue[i - 1] = v;
        parents[i - 1] = j;
      }
    }
  }
  return parents;
}

int ArcScene::correctCount() const {
  int correct = 0;
  for (int i = 0; i < size(); ++i)
    correct += isCorrect(i) ? 1 : 0;
  return correct;
}

} // namespace chrysalis::ui
