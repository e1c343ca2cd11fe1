#include "data/best_head.h"

#include "data/run_reader.h"

#include <cmath>

namespace chrysalis::ui {

std::optional<std::pair<int, int>> bestSyntacticHead(const RunData& run) {
  const ProbeSeries* uas = run.probe(QStringLiteral("uas"));
  if (!uas || uas->steps.isEmpty()) return std::nullopt;
  try {
    // The one reader of result arrays (its checks included); one small file,
    // once per run opened.
    const StepArrays arrays = readStepArrays({run.dir, uas->hash, uas->steps.last()});
    const ArrayValue a = arrays.arrays.value(QStringLiteral("uas/head_best"));
    if (a.shape.size() != 2 || a.shape[1] <= 0) return std::nullopt;
    qsizetype best = -1;
    for (qsizetype i = 0; i < a.values.size(); ++i)
      if (!std::isnan(a.values[i]) && (best < 0 || a.values[i] > a.values[best])) best = i;
    if (best < 0) return std::nullopt;
    const int heads = static_cast<int>(a.shape[1]);
    return std::pair<int, int>{static_cast<int>(best) / heads, static_cast<int>(best) % heads};
  } catch (const std::exception&) {
    return std::nullopt; // a damaged result: the grid will say so; no head chosen
  }
}

} // namespace chrysalis::ui
