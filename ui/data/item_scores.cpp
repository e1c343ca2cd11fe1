#include "data/item_scores.h"

#include <cmath>

namespace chrysalis::ui {

void ItemTable::add(qint64 step, const QVector<double>& row, const QVector<double>& rowWeights) {
  if (!rows.isEmpty() && row.size() != weights.size()) return;
  if (rows.isEmpty()) weights = rowWeights;
  rows.insert(step, row);
}

onset::ItemScores ItemTable::toScores() const {
  std::vector<int64_t> steps;
  std::vector<double> values;
  for (auto it = rows.cbegin(); it != rows.cend(); ++it) {
    steps.push_back(it.key());
    values.insert(values.end(), it->cbegin(), it->cend());
  }
  return {onset::CheckpointMatrix(steps, static_cast<size_t>(weights.size()), values),
          std::vector<double>(weights.cbegin(), weights.cend())};
}

bool uasItems(const StepArrays& arrays, QVector<double>* row, QVector<double>* weights) {
  const auto correct = arrays.arrays.constFind(QStringLiteral("uas/sentence_correct"));
  const auto words = arrays.arrays.constFind(QStringLiteral("uas/sentence_words"));
  if (correct == arrays.arrays.cend() || words == arrays.arrays.cend() ||
      correct->size() != words->size())
    return false;
  for (qint64 i = 0; i < correct->size(); ++i) {
    const double n = words->values[i];
    *row << (n > 0 ? correct->values[i] / n : kMissing);
    *weights << std::max(0.0, n);
  }
  return !row->isEmpty();
}

bool blimpItems(const StepArrays& arrays, QVector<double>* row, QVector<double>* weights) {
  const auto good = arrays.arrays.constFind(QStringLiteral("blimp/pll_good"));
  const auto bad = arrays.arrays.constFind(QStringLiteral("blimp/pll_bad"));
  const auto task = arrays.arrays.constFind(QStringLiteral("blimp/pair_task"));
  if (good == arrays.arrays.cend() || bad == arrays.arrays.cend() || task == arrays.arrays.cend() ||
      good->size() != bad->size() || good->size() != task->size())
    return false;
  QMap<double, int> perTask;
  for (double k : task->values)
    ++perTask[k];
  for (qint64 i = 0; i < good->size(); ++i) {
    const double g = good->values[i], b = bad->values[i];
    *row << (std::isnan(g) || std::isnan(b) ? kMissing : g > b ? 1.0 : 0.0);
    *weights << 1.0 / perTask.value(task->values[i]);
  }
  return !row->isEmpty();
}

RunOnsets bootstrapRunOnsets(const ItemTable& uas, const ItemTable& blimp,
                             const OnsetSettings& settings, const BootstrapSettings& bootstrap,
                             const std::function<bool()>& cancelled) {
  return bootstrapSeedGroupOnsets({uas}, {blimp}, settings, bootstrap, cancelled);
}

RunOnsets bootstrapSeedGroupOnsets(const QVector<ItemTable>& uas, const QVector<ItemTable>& blimp,
                                   const OnsetSettings& settings,
                                   const BootstrapSettings& bootstrap,
                                   const std::function<bool()>& cancelled) {
  RunOnsets out;
  bool withBlimp = blimp.size() == uas.size();
  std::vector<onset::ItemScores> u, b;
  for (const ItemTable& t : uas) {
    if (t.rows.size() < 3) return out;
    u.push_back(t.toScores());
  }
  for (const ItemTable& t : blimp)
    withBlimp = withBlimp && t.rows.size() >= 3;
  for (qsizetype i = 0; i < uas.size(); ++i)
    // Without BLiMP items, an all-missing column: no capabilities onset.
    b.push_back(withBlimp ? blimp[i].toScores()
                          : onset::ItemScores{
                                onset::CheckpointMatrix(
                                    u[size_t(i)].scores.steps(), 1,
                                    std::vector<double>(u[size_t(i)].scores.rows(), kMissing)),
                                {1.0}});
  onset::BootstrapOptions o;
  o.resamples = static_cast<size_t>(bootstrap.resamples);
  o.seed = bootstrap.seed;
  o.progress = [&cancelled](int64_t, int64_t) { return !cancelled || !cancelled(); };
  const onset::BootstrapReport r = onset::bootstrapSeedOnsets(u, b, onsetOptions(settings), o);
  if (r.cancelled) return out;
  out.structure = r.report.structure;
  out.capabilities = r.report.capabilities;
  out.plateau = r.report.plateau;
  return out;
}

} // namespace chrysalis::ui
