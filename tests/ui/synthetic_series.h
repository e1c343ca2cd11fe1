#pragma once
// Realistic synthetic series for GUI tests and screenshots, written with the
// format library exactly as docs/probes.md names the results: metadata-only
// checkpoints on an uneven grid and loss/uas/blimp/twonn/attn probe results
// whose shapes follow the paper (loss plateau then drop, UAS sigmoid rise,
// BLiMP rising after UAS, TwoNN dip-rise-fall).
#include <QString>
#include <QStringList>

#include <cstdint>
#include <utility>
#include <vector>

namespace chrysalis::test {

struct SyntheticOptions {
  QString label = QStringLiteral("synthetic baseline seed 1");
  int layers = 12;
  int heads = 12;
  /// Centre of the UAS sigmoid (the structure onset is a little before it).
  int64_t uasCentre = 1100;
  double uasWidth = 90.0;
  /// Centre of the BLiMP rise (the capabilities onset is a little before it).
  int64_t blimpCentre = 3000;
  double blimpWidth = 250.0;
  int64_t lastStep = 8000;
  /// Measurement noise amplitude (deterministic, seeded).
  double noise = 0.002;
  uint64_t seed = 1;
  /// Written to series.json's training object with the seed and label: runs
  /// that differ only by seed form a seed group in the GUI.
  QString schedule = QStringLiteral("baseline");
  /// Heads whose uas/head_best jumps by 0.5 at a chosen step, as
  /// {layer * heads + head, step}. When any is given, every other head's
  /// head_best stays flat (noise only), so emergence tests know the answer.
  std::vector<std::pair<int, int64_t>> headJumps;
  /// Probe sentences whose per-sentence arrays the UAS results hold
  /// (uas/sentence_correct, uas/sentence_words); 0 = none. With them the uas
  /// scalar is their pooled ratio, as the real probe's. Sentence lengths and
  /// difficulties belong to the probe set; seeds add their own noise.
  int sentences = 0;
  /// BLiMP pairs per task with per-pair arrays (blimp/pll_good, pll_bad,
  /// pair_task); 0 = none. With them blimp is the mean over tasks of the
  /// pairs' accuracy.
  int pairsPerTask = 0;
  /// The probe set's hash, part of every probe configuration.
  QString probeSet = QStringLiteral("0123456789abcdef");
  /// Steps whose held-out loss is stored as NaN (a diverged checkpoint).
  std::vector<int64_t> nanLossSteps;
  /// Which probe kinds to write.
  QStringList kinds = {QStringLiteral("loss"), QStringLiteral("uas"), QStringLiteral("blimp"),
                       QStringLiteral("twonn"), QStringLiteral("attn")};
};

/// The uneven grid: 0, 100, ..., 1500, then every 500 up to lastStep.
std::vector<int64_t> syntheticSteps(const SyntheticOptions& options);

/// The relations written to uas/relations.
QStringList syntheticRelations();

/// The noiseless curves, for assertions.
double syntheticLoss(const SyntheticOptions& o, int64_t step);
double syntheticUas(const SyntheticOptions& o, int64_t step);
double syntheticBlimp(const SyntheticOptions& o, int64_t step);
double syntheticTwoNN(const SyntheticOptions& o, int64_t step);

class SyntheticSeries {
public:
  explicit SyntheticSeries(QString dir, SyntheticOptions options = {});
  /// Creates series.json and vocab.txt (the folder may exist but hold no series).
  void create() const;
  /// Writes one step: its checkpoint and every probe kind's result.
  void writeStep(int64_t step) const;
  /// create() and every step of the grid.
  void writeAll() const;
  /// Writes only the steps <= upTo (a run still training).
  void writeUpTo(int64_t upTo) const;

  const QString& dir() const { return m_dir; }
  const SyntheticOptions& options() const { return m_options; }
  /// Config hash of a probe kind in this series.
  QString hash(const QString& kind) const;

private:
  void writeProbe(const QString& kind, int64_t step) const;
  QString m_dir;
  SyntheticOptions m_options;
};

/// Convenience: writes a whole synthetic series into `dir`.
void writeSyntheticSeries(const QString& dir, const SyntheticOptions& options = {});

} // namespace chrysalis::test
