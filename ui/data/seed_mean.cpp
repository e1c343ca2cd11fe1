#include "data/seed_mean.h"

#include <algorithm>
#include <cmath>

namespace chrysalis::ui {
namespace {

// Steps present in every list (each ascending).
QVector<qint64> commonSteps(const QVector<QVector<qint64>>& lists) {
  if (lists.isEmpty()) return {};
  QVector<qint64> out = lists.first();
  for (int i = 1; i < lists.size(); ++i) {
    QVector<qint64> both;
    std::set_intersection(out.cbegin(), out.cend(), lists[i].cbegin(), lists[i].cend(),
                          std::back_inserter(both));
    out = both;
  }
  return out;
}

} // namespace

SeedBand seedBand(const QVector<const RunData*>& seeds, const QString& kind,
                  const QString& scalar) {
  SeedBand band;
  QVector<Timeline> curves;
  for (const RunData* run : seeds)
    curves << run->timeline(kind, scalar);
  if (curves.isEmpty()) return band;
  for (qint64 step : std::as_const(curves.first().steps)) {
    double sum = 0.0, lo = INFINITY, hi = -INFINITY;
    bool all = true;
    for (const Timeline& t : std::as_const(curves)) {
      const double v = t.valueAt(step);
      if (!std::isfinite(v)) {
        all = false;
        break;
      }
      sum += v;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    if (!all) continue;
    for (Timeline* t : {&band.mean, &band.low, &band.high})
      t->steps << step;
    band.mean.values << sum / static_cast<double>(curves.size());
    band.low.values << lo;
    band.high.values << hi;
  }
  return band;
}

RunData seedMeanRun(const QVector<const RunData*>& seeds, const QString& label) {
  RunData mean;
  if (seeds.isEmpty()) return mean;
  const RunData& first = *seeds.first();
  mean.label = label;
  mean.layers = first.layers;
  mean.heads = first.heads;
  mean.seedGroupKey = first.seedGroupKey;
  for (auto kind = first.kindHash.cbegin(); kind != first.kindHash.cend(); ++kind) {
    QVector<QVector<qint64>> steps;
    for (const RunData* run : seeds)
      steps << (run->probe(kind.key()) ? run->probe(kind.key())->steps : QVector<qint64>());
    ProbeSeries series;
    series.kind = kind.key();
    series.hash = kind.value();
    series.steps = commonSteps(steps);
    if (series.steps.isEmpty()) continue;
    for (const QString& scalar : first.probe(kind.key())->scalars.keys()) {
      const Timeline m = seedBand(seeds, kind.key(), scalar).mean;
      QVector<double>& column = series.scalars[scalar];
      for (qint64 step : std::as_const(series.steps))
        column << m.valueAt(step);
    }
    mean.configs.insert(series.hash, series);
    mean.kindHash.insert(series.kind, series.hash);
  }
  // Checkpoints every seed has, with the mean training loss.
  QVector<QVector<qint64>> steps;
  for (const RunData* run : seeds) {
    QVector<qint64> s;
    for (const CheckpointRow& c : run->checkpoints)
      s << c.step;
    steps << s;
  }
  for (qint64 step : commonSteps(steps)) {
    CheckpointRow row = *first.checkpoint(step);
    double sum = 0.0;
    for (const RunData* run : seeds)
      sum += run->checkpoint(step)->trainLoss;
    row.trainLoss = sum / static_cast<double>(seeds.size()); // NaN when a seed lacks it
    mean.checkpoints << row;
  }
  return mean;
}

} // namespace chrysalis::ui
