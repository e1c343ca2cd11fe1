#include "data/run_data.h"

#include "onset/log_slope.h"

#include <algorithm>

namespace chrysalis::ui {

bool ProbeSeries::hasStep(qint64 step) const {
  return std::binary_search(steps.cbegin(), steps.cend(), step);
}

double Timeline::valueAt(qint64 step) const {
  auto it = std::lower_bound(steps.cbegin(), steps.cend(), step);
  if (it == steps.cend() || *it != step) return kMissing;
  return values[it - steps.cbegin()];
}

const ProbeSeries* RunData::probe(const QString& kind) const {
  auto h = kindHash.constFind(kind);
  if (h == kindHash.constEnd()) return nullptr;
  auto it = configs.constFind(*h);
  return it == configs.constEnd() ? nullptr : &*it;
}

namespace {
// The loss-slope view, derived from the stored loss (onset/log_slope.h).
Timeline lossSlope(const RunData& run) {
  Timeline loss = run.timeline(QStringLiteral("loss"), QStringLiteral("loss"));
  if (loss.steps.size() < 2) return {};
  try {
    const std::vector<double> slope = onset::fallPerLogStep(
        onset::Curve(std::vector<int64_t>(loss.steps.begin(), loss.steps.end()),
                     std::vector<double>(loss.values.begin(), loss.values.end())));
    loss.values = QVector<double>(slope.begin(), slope.end());
  } catch (const std::exception&) {
    return {}; // a curve onset::Curve refuses (e.g. steps out of order) has no slope to draw
  }
  return loss;
}
} // namespace

Timeline RunData::timeline(const QString& kind, const QString& scalar) const {
  Timeline t;
  const ProbeSeries* p = probe(kind);
  if (!p) return t;
  auto values = p->scalars.constFind(scalar);
  if (values == p->scalars.constEnd()) {
    if (kind == QLatin1String("loss") && scalar == QLatin1String("loss_slope"))
      return lossSlope(*this);
    return t;
  }
  t.steps = p->steps;
  t.values = *values;
  t.nonFiniteSteps = p->nonFinite.value(scalar);
  return t;
}

QStringList RunData::kinds() const {
  // Known kinds first in the order the timelines stack, then anything newer.
  static const QStringList order = {QStringLiteral("loss"),     QStringLiteral("uas"),
                                    QStringLiteral("blimp"),    QStringLiteral("twonn"),
                                    QStringLiteral("attn"),     QStringLiteral("ngram"),
                                    QStringLiteral("ablation"), QStringLiteral("path")};
  QStringList out;
  for (const auto& k : order)
    if (kindHash.contains(k)) out << k;
  for (auto it = kindHash.cbegin(); it != kindHash.cend(); ++it)
    if (!order.contains(it.key())) out << it.key();
  return out;
}

QStringList RunData::kindsAt(qint64 step) const {
  QStringList out;
  for (const auto& k : kinds())
    if (const ProbeSeries* p = probe(k); p && p->hasStep(step)) out << k;
  return out;
}

const CheckpointRow* RunData::checkpoint(qint64 step) const {
  auto it = std::lower_bound(checkpoints.cbegin(), checkpoints.cend(), step,
                             [](const CheckpointRow& c, qint64 s) { return c.step < s; });
  return it != checkpoints.cend() && it->step == step ? &*it : nullptr;
}

QVector<qint64> RunData::allSteps() const {
  QVector<qint64> out;
  for (const auto& c : checkpoints)
    out << c.step;
  for (const auto& p : configs)
    out << p.steps;
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

} // namespace chrysalis::ui
