#pragma once
// Shared by the GUI benchmarks: a synthetic 12 × 12 series written once into
// a reusable folder, checkpoints marked as having weights (one tiny tensor),
// and percentiles.
#include <QString>
#include <QVector>

#include <cstdint>

namespace chrysalis::bench {

/// Writes (unless `dir`/series.json exists) a 12-layer, 12-head synthetic
/// series up to `lastStep`; with `weights`, every checkpoint carries one
/// tiny tensor so the GUI treats it as having weights.
/// @returns the number of checkpoints.
int ensureSyntheticSeries(const QString& dir, int64_t lastStep, bool weights);

struct Summary {
  double mean = 0, p50 = 0, p95 = 0, max = 0;
};
Summary summarize(QVector<double> ms);
/// "mean M  p50 P  p95 Q  max X" in ms.
QString format(const Summary& s);

/// The benchmark's settings go to a throw-away folder (never the user's).
void useThrowawaySettings(const QString& dir);

/// `count` child processes that each keep one core busy (a training run
/// beside the app, say) until this object goes or the benchmark dies.
class BusyCores {
public:
  explicit BusyCores(int count);
  ~BusyCores();
  BusyCores(const BusyCores&) = delete;
  BusyCores& operator=(const BusyCores&) = delete;

private:
  QVector<int> m_children;
};

} // namespace chrysalis::bench
