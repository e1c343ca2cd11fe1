#include "data/emergence_table.h"

#include "onset/head_emergence.h"

namespace chrysalis::ui {

bool HeadBestRows::add(const StepArrays& arrays) {
  const auto it = arrays.arrays.constFind(QStringLiteral("uas/head_best"));
  if (it == arrays.arrays.cend()) return false;
  rows.insert(arrays.step, *it);
  return true;
}

HeadEmergenceResult computeHeadEmergence(const HeadBestRows& rows, const OnsetSettings& settings) {
  HeadEmergenceResult out;
  onset::HeadEmergenceOptions options;
  options.detector = onsetOptions(settings).detector;
  out.minRise = options.minRise;
  out.detector = QString::fromStdString(onset::describe(options.detector));
  std::vector<int64_t> steps;
  std::vector<double> values;
  const QVector<qint64> shape = rows.rows.isEmpty() ? QVector<qint64>() : rows.rows.first().shape;
  const qint64 size = shape.size() == 2 ? shape[0] * shape[1] : -1;
  for (auto it = rows.rows.cbegin(); it != rows.rows.cend(); ++it) {
    if (it->shape != shape || it->size() != size) continue;
    steps.push_back(it.key());
    values.insert(values.end(), it->values.cbegin(), it->values.cend());
  }
  if (steps.size() < 3 || shape.size() != 2) {
    out.problem = QStringLiteral("emergence needs uas/head_best at 3 or more steps (%1 so far)")
                      .arg(steps.size());
    return out;
  }
  out.layers = static_cast<int>(shape[0]);
  out.heads = static_cast<int>(shape[1]);
  const auto heads = onset::headEmergence(
      onset::CheckpointMatrix(steps, static_cast<size_t>(out.layers * out.heads), values), options);
  for (double s : onset::emergenceSteps(heads))
    out.steps << s;
  for (const auto& h : heads) {
    out.rises << h.rise;
    out.reasons << QString::fromStdString(h.noOnsetReason);
  }
  out.firstStep = steps.front();
  out.lastStep = steps.back();
  for (int64_t s : steps)
    if (s > 0) {
      out.firstPositiveStep = s;
      break;
    }
  return out;
}

} // namespace chrysalis::ui
