#pragma once
// The per-item scores behind UAS and BLiMP, gathered step by step from probe
// result arrays (docs/probes.md: uas/sentence_correct and uas/sentence_words;
// blimp/pll_good, blimp/pll_bad and blimp/pair_task), for the bootstrap
// intervals of the onsets. Pure functions: the I/O and the threads are in
// onset_intervals.h.
#include "data/run_onsets.h"
#include "data/step_arrays.h"

#include "onset/bootstrap.h"

#include <QMap>
#include <QVector>

#include <functional>

namespace chrysalis::ui {

/// One metric's items over steps.
struct ItemTable {
  QMap<qint64, QVector<double>> rows; ///< step -> one score per item (NaN = not scored)
  QVector<double> weights;            ///< one per item, from the first row added

  /// Adds a step's row; a row of another length than the first (another
  /// probe set) is ignored.
  void add(qint64 step, const QVector<double>& row, const QVector<double>& rowWeights);
  onset::ItemScores toScores() const;
};

/// UAS items: each sentence's fraction of its scored words whose implicit
/// parent is right, weighted by its scored words (so the mean is pooled UAS).
/// @returns false when the result has no per-sentence arrays.
bool uasItems(const StepArrays& arrays, QVector<double>* row, QVector<double>* weights);

/// BLiMP items: 1 when a pair's good sentence has the higher pseudo-log-
/// likelihood, weighted by 1 / (pairs in its task) (so the mean is the mean
/// over tasks). @returns false when the result has no per-pair arrays.
bool blimpItems(const StepArrays& arrays, QVector<double>* row, QVector<double>* weights);

struct BootstrapSettings {
  int resamples = 200;
  quint64 seed = 0; ///< fixed: the same series shows the same bands every time
};

/// onset::bootstrapOnsets with the GUI's detector on these items.
/// @param cancelled polled after each resample; a cancelled run returns early.
/// @returns the onsets with lowStep/highStep (5th–95th percentile) and
///          agreement; all empty when UAS has fewer than 3 steps.
RunOnsets bootstrapRunOnsets(const ItemTable& uas, const ItemTable& blimp,
                             const OnsetSettings& settings, const BootstrapSettings& bootstrap,
                             const std::function<bool()>& cancelled = {});

/// The same for a seed group (onset::bootstrapSeedOnsets): one draw of items
/// per resample for every seed, the seeds' metrics averaged, the onsets
/// detected on the mean. The seeds must share their probe set.
/// @param uas   one table per seed.
/// @param blimp one table per seed; any seed with fewer than 3 steps (or a
///              count unlike uas's) leaves the capabilities onset out.
/// @throws std::invalid_argument when the seeds' items differ in number.
RunOnsets bootstrapSeedGroupOnsets(const QVector<ItemTable>& uas, const QVector<ItemTable>& blimp,
                                   const OnsetSettings& settings,
                                   const BootstrapSettings& bootstrap,
                                   const std::function<bool()>& cancelled = {});

} // namespace chrysalis::ui
