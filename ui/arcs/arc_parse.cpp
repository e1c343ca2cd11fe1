#include "arcs/arc_parse.h"

namespace chrysalis::ui {

QVector<int> predictedParents(const float* map, int size, ArcDirection direction) {
  QVector<int> parents;
  if (!map || size < 3) return parents;
  const int n = size - 2;
  auto at = [&](int i, int j) {
    return direction == ArcDirection::DepToHead ? map[i * size + j] : map[j * size + i];
  };
  parents.reserve(n);
  for (int i = 1; i <= n; ++i) {
    // Same loop as the probe: strict '>' keeps the first index on ties, and
    // NaN never wins.
    int best = 0;
    float bestValue = -1.0f;
    for (int j = 1; j <= n; ++j) {
      const float v = j == i ? 0.0f : at(i, j);
      if (v > bestValue) {
        bestValue = v;
        best = j;
      }
    }
    parents << best;
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
