#pragma once
// How much an onset moves when the probe items are resampled: the detector's
// confidence (docs/method.md, "Bootstrap intervals"). Items (probe sentences,
// BLiMP pairs) are drawn with replacement, the metric is recomputed as their
// weighted mean and the detector is rerun.
#include "onset/checkpoint_matrix.h"
#include "onset/detector.h"
#include "onset/onset.h"
#include "onset/onsets.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace chrysalis::onset {

/// Per-item scores behind one metric. The metric at a checkpoint is
/// sum_j w_j * score_j / sum_j w_j over the items present there. To get a
/// pooled ratio, give each item its own ratio and its denominator as weight:
/// UAS = per-sentence fraction of counted words whose parent is right, weighted
/// by the sentence's counted words. BLiMP = 0/1 per pair, weighted by
/// 1 / (pairs in its task) so that the mean is the mean over tasks.
struct ItemScores {
  /// [checkpoints x items]; NaN = item not scored at that checkpoint.
  CheckpointMatrix scores;
  /// One finite weight >= 0 per item; empty means all 1.
  std::vector<double> weights;
};

/// @returns the metric curve: the weighted mean over items at each checkpoint
///          (NaN where no item with positive weight is present).
/// @throws std::invalid_argument for bad weights (wrong count, negative,
///         non-finite, or all zero).
Curve weightedMean(const ItemScores& items);

struct BootstrapOptions {
  /// Number of resamples B.
  size_t resamples = 1000;
  /// Same seed, same data, same options: same result, on any platform.
  uint64_t seed = 0;
  /// Interval quantiles (nearest rank over resamples that found an onset, so
  /// both ends are checkpoint steps).
  double lowQuantile = 0.05;
  double highQuantile = 0.95;
  /// Called after each resample with (done, total); returning false cancels.
  std::function<bool(int64_t done, int64_t total)> progress;
};

struct BootstrapResult {
  /// The onset on all items, with lowStep, highStep and agreement filled in
  /// (the interval only when at least one resample found an onset).
  std::optional<Onset> onset;
  /// The onset step of each resample, nullopt where none was found.
  std::vector<std::optional<int64_t>> resampledSteps;
  /// True when the progress callback stopped the run; the fields then
  /// describe the resamples done so far.
  bool cancelled = false;
};

/// Bootstrap of one detector on one metric.
/// @param items    per-item scores and weights.
/// @param detector the detector to rerun on every resample.
/// @param options  B, seed, quantiles, progress.
/// @returns the point estimate with its interval, and every resample's step.
/// @throws std::invalid_argument for bad weights or quantiles.
BootstrapResult bootstrapOnset(const ItemScores& items, const DetectorOptions& detector,
                               const BootstrapOptions& options);

struct BootstrapReport {
  /// findOnsets() on all items, each onset with its interval and agreement.
  OnsetReport report;
  std::vector<std::optional<int64_t>> structureSteps;
  std::vector<std::optional<int64_t>> capabilitiesSteps;
  std::vector<std::optional<int64_t>> plateauSteps;
  bool cancelled = false;
};

/// Bootstrap of the whole onset report: each resample draws UAS items and
/// BLiMP items independently, so the capabilities interval includes the
/// movement of the structure onset it is searched after.
/// @param uas     per-sentence UAS scores and weights.
/// @param blimp   per-pair BLiMP scores and weights.
/// @param onsets  detector and plateau settings.
/// @param options B, seed, quantiles, progress.
/// @returns the report with intervals, and every resample's steps.
BootstrapReport bootstrapOnsets(const ItemScores& uas, const ItemScores& blimp,
                                const OnsetOptions& onsets, const BootstrapOptions& options);

/// The mean of the seeds' curves at the steps every seed has (NaN where some
/// seed has no value there), as the seed groups' mean curves are drawn.
Curve seedMean(const std::vector<Curve>& seeds);

/// Bootstrap of a seed group's onsets, detected on the seeds' mean curves.
/// Seeds of one configuration are probed on the same items, so each resample
/// draws the items once and counts them alike in every seed; each seed's
/// metric is recomputed and the seeds averaged (seedMean) before detection.
/// With one seed this is bootstrapOnsets().
/// @param uas   per seed, per-sentence UAS scores over the same sentences.
/// @param blimp per seed, per-pair BLiMP scores over the same pairs.
/// @returns the report on all items with intervals, and every resample's steps.
/// @throws std::invalid_argument for no seeds, seeds whose items differ in
///         number, bad weights or quantiles.
BootstrapReport bootstrapSeedOnsets(const std::vector<ItemScores>& uas,
                                    const std::vector<ItemScores>& blimp,
                                    const OnsetOptions& onsets, const BootstrapOptions& options);

} // namespace chrysalis::onset
