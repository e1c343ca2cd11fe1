#pragma once
// One entry point for every onset detector, so that onset reports, the
// bootstrap and per-head emergence can run whichever the user picked.
#include "onset/axis.h"
#include "onset/curve.h"
#include "onset/logistic_fit.h"
#include "onset/onset.h"
#include "onset/smoothing.h"

#include <cstdint>
#include <optional>
#include <string>

namespace chrysalis::onset {

enum class Method {
  /// The default (docs/method.md, "Onset detectors"): a logistic rise fitted
  /// on the step and log-step axes, kept only when its interior upward turn
  /// beats every fit without one by a noise-scaled margin; the onset is the
  /// checkpoint nearest the fitted turn (the peak of its second derivative).
  /// Answers "no onset", with the reason, on flat, saturating or falling
  /// curves. Chosen by the synthetic-curve table in docs/probes.md.
  LogisticTest,
  /// The paper's definition: the interior checkpoint with the largest discrete
  /// second derivative (the sharpest upward turn of the slope). Fires on noise
  /// and on any curve with one positive second difference.
  SecondDerivative,
  /// Best continuous 2-segment (hinge) least-squares fit whose slope
  /// increases at the break; the onset is the break. For a metric that rises
  /// and keeps rising within the search window: on a rise followed by a
  /// plateau the best hinge bends downward, so it finds no onset or an early
  /// one (use ThreeSegmentFit, or end the window with searchUntil).
  HingeFit,
  /// Best continuous 3-segment least-squares fit whose slope increases at the
  /// first break; the onset is the first break (rise after a flat start, then
  /// a plateau: the shape UAS has). It marks where the linearised rise leaves
  /// the baseline, which on slow rises lies before the second-derivative peak.
  ThreeSegmentFit,
};

struct DetectorOptions {
  Method method = Method::LogisticTest;
  /// Look for the sharpest upward turn of -f (for loss and other metrics that
  /// improve by falling).
  bool falling = false;
  /// Coordinate in which step spacing is measured. Axis::Step is the paper's
  /// definition. On a noisy curve the raw second derivative's noise grows as
  /// 1/spacing^2, so densely sampled checkpoints dominate the argmax;
  /// Axis::LogStep (log(1 + step)) evens out log-like grids. On the paper's
  /// 1k-then-5k grid it over-corrects (late 5k steps are dense in log units)
  /// unless combined with smoothing: see logStepSmoothed(). For the fits, this
  /// is the x coordinate of the lines.
  Axis axis = Axis::Step;
  /// Optional light smoothing of the curve before detection (off by default).
  SmoothingOptions smoothing;
  /// Only checkpoints with step > searchAfter are candidates (the checkpoint at
  /// or just before it is still used as the left neighbour / fit start).
  std::optional<int64_t> searchAfter;
  /// Only checkpoints with step <= searchUntil are candidates.
  std::optional<int64_t> searchUntil;
  /// Significance thresholds of Method::LogisticTest.
  LogisticTestOptions logistic;
};

/// A second-derivative detector for noisy curves: spacing and smoothing
/// (Gaussian, `bandwidth` in natural-log units) both on Axis::LogStep. Raw
/// step spacing (the default) is exact on clean curves, but its noise scales
/// as 1/spacing^2, so dense early checkpoints win the argmax: on the paper's
/// grid with noise of 2.5% of the rise, the default finds a rise centred at
/// 20k in 2 of 40 seeded trials, this in all 40 (tests/onset/test_synthetic.cpp).
/// Log spacing alone is no cure on the paper's grid, whose late 5k spacing is
/// dense in log units; the smoothing evens that out. Not the paper's detector:
/// the UI must name it when it is used.
/// @param bandwidth smoothing bandwidth in log-step units (0.1 = about ±10%).
/// @returns options for Method::SecondDerivative with those settings.
DetectorOptions logStepSmoothed(double bandwidth = 0.1);

/// An onset, or why there is none.
struct Detection {
  std::optional<Onset> onset;
  /// Set when `onset` is empty: "too few checkpoints", "falls; ...", etc.
  std::string noOnsetReason;
};

/// detectOnset() with the reason when there is no onset.
Detection detect(const Curve& curve, const DetectorOptions& options);

/// Finds where a metric starts its abrupt rise (or fall, with `falling`).
/// Missing (NaN) points are dropped first, then the curve is negated if
/// `falling`, then smoothed, then cut to the search window.
/// @param curve   the metric over checkpoints.
/// @param options detector and its settings.
/// @returns the onset, or nullopt when there are too few points in the window
///          (3 for SecondDerivative and HingeFit, 4 for ThreeSegmentFit) or no
///          upward turn at all (every second derivative <= 0, or no fit whose
///          slope increases).
std::optional<Onset> detectOnset(const Curve& curve, const DetectorOptions& options);

/// @returns a one-line description of the detector for display, e.g.
///          "second derivative (log-step spacing, falling, smoothed σ=0.1 log-step)".
std::string describe(const DetectorOptions& options);

} // namespace chrysalis::onset
