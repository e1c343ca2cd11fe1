#pragma once
// What the GUI knows about one open run: its checkpoints and, per probe kind,
// the scalar results over steps. Plain values (implicitly shared Qt
// containers) so a loaded run crosses from the I/O thread to the GUI by copy.
// Per-step arrays (head grids) are not here: they load lazily (array_cache.h).
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

#include <cmath>
#include <limits>

namespace chrysalis::ui {

inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

/// One checkpoint file's attributes (no tensors are ever read by the GUI).
struct CheckpointRow {
  qint64 step = 0;
  qint64 tokensSeen = 0;
  double wallTime = 0.0;
  double learningRate = 0.0;
  double trainLoss = kMissing;
  bool hasWeights = false;
};

/// The results of one probe configuration (probes/<hash>/): one row of
/// scalars per step. Scalars missing at a step are NaN.
struct ProbeSeries {
  QString kind;             ///< the config's "probe" field: loss, uas, blimp, twonn, attn, ngram
  QString hash;             ///< folder name under probes/
  QString configJson;       ///< compact config, shown in tooltips
  double createdUnix = 0.0; ///< newest result's creation time (picks among configs of a kind)
  QVector<qint64> steps;    ///< ascending
  QMap<QString, QVector<double>> scalars; ///< name -> one value per entry of steps
  /// name -> steps whose stored value is NaN or infinite (in `scalars` they
  /// read as missing, NaN, like steps without the scalar): shown as marks.
  QMap<QString, QVector<qint64>> nonFinite;

  bool hasStep(qint64 step) const;
};

/// A scalar metric over steps, ready to plot.
struct Timeline {
  QVector<qint64> steps;
  QVector<double> values;
  /// Steps whose stored value is NaN or infinite (not in `values`' curve).
  QVector<qint64> nonFiniteSteps;
  bool isEmpty() const { return steps.isEmpty(); }
  /// Value at exactly `step`, NaN when not measured there.
  double valueAt(qint64 step) const;
};

struct RunData {
  QString dir;   ///< absolute, canonical folder path: the run's identity
  QString label; ///< series.json label (folder name when empty)
  int layers = 0;
  int heads = 0;
  /// Equal for runs that differ only by seed (seed_group_key.h); empty when
  /// the training configuration is unknown.
  QString seedGroupKey;
  QVector<CheckpointRow> checkpoints; ///< ascending by step
  /// The dense training log's train_loss (train_log.h5), one value per
  /// logged step; empty when the series has none.
  Timeline trainLog;
  QMap<QString, ProbeSeries> configs; ///< every probe configuration, by hash
  QMap<QString, QString> kindHash;    ///< kind -> hash of the configuration shown
  QStringList problems;               ///< files that could not be read ("FILE: why")

  /// The configuration shown for a kind, or nullptr.
  const ProbeSeries* probe(const QString& kind) const;
  /// A scalar of a kind (e.g. probe "uas", scalar "uas_all_words").
  Timeline timeline(const QString& kind, const QString& scalar) const;
  /// Kinds with results, in a fixed display order.
  QStringList kinds() const;
  /// Kinds with a result at exactly this step.
  QStringList kindsAt(qint64 step) const;
  const CheckpointRow* checkpoint(qint64 step) const;
  /// Every step with a checkpoint or any probe result, ascending.
  QVector<qint64> allSteps() const;
};

} // namespace chrysalis::ui

Q_DECLARE_METATYPE(chrysalis::ui::RunData)
