#include "data/best_head.h"

#include "format/probe_store.h"

#include <cmath>

namespace chrysalis::ui {

std::optional<std::pair<int, int>> bestSyntacticHead(const RunData& run) {
  const ProbeSeries* uas = run.probe(QStringLiteral("uas"));
  if (!uas || uas->steps.isEmpty()) return std::nullopt;
  try {
    const format::ProbeStore store(run.dir.toStdString());
    const format::ProbeResult r = store.read(uas->hash.toStdString(), uas->steps.last());
    const auto it = r.arrays.find("uas/head_best");
    if (it == r.arrays.end() || it->second.shape.size() != 2) return std::nullopt;
    const auto& a = it->second;
    int best = -1;
    for (size_t i = 0; i < a.values.size(); ++i)
      if (!std::isnan(a.values[i]) &&
          (best < 0 || a.values[i] > a.values[static_cast<size_t>(best)]))
        best = static_cast<int>(i);
    if (best < 0 || a.shape[1] <= 0) return std::nullopt;
    return std::pair<int, int>{best / static_cast<int>(a.shape[1]),
                               best % static_cast<int>(a.shape[1])};
  } catch (const std::exception&) {
    return std::nullopt; // a damaged result: the grid will say so; no head chosen
  }
}

} // namespace chrysalis::ui
