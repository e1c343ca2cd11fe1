#include "heads/head_grid_source.h"

#include "common/step_axis.h"
#include "common/step_search.h"
#include "data/emergence_source.h"
#include "data/run_reader.h"
#include "heads/emergence_grid.h"

#include <algorithm>

namespace chrysalis::ui {

qint64 resultStepAtOrBefore(const QVector<qint64>& steps, qint64 step) {
  if (steps.isEmpty()) return -1;
  const qsizetype i = indexAtOrBefore(steps, step);
  return i < 0 ? steps.first() : steps[i]; // before the first result: the first (the panel says so)
}

ArrayKey headArrayKey(const RunData& run, HeadQuantity quantity, qint64 cursorStep) {
  const ProbeSeries* p = run.probe(headQuantityKind(quantity));
  if (!p) return {};
  return {run.dir, p->hash, resultStepAtOrBefore(p->steps, cursorStep)};
}

HeadGrid loadHeadGrid(const RunData& run, qint64 step, const HeadQuery& query, QString* error) {
  if (query.quantity == HeadQuantity::Emergence) {
    const HeadEmergenceResult r = readHeadEmergence(run, {});
    if (!r.isValid() && error) *error = QStringLiteral("%1: %2").arg(run.label, r.problem);
    return emergenceGrid(r);
  }
  const ArrayKey key = headArrayKey(run, query.quantity, step);
  if (!key.isValid()) {
    if (error)
      *error =
          QStringLiteral("%1 has no %2 results").arg(run.label, headQuantityKind(query.quantity));
    return {};
  }
  try {
    HeadGrid g = headGridFrom(readStepArrays(key), query, error);
    if (g.isValid())
      g.title += QStringLiteral(" \u00B7 step ") + formatStep(static_cast<double>(key.step));
    return g;
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return {};
  }
}

} // namespace chrysalis::ui
