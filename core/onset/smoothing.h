#pragma once
// Gaussian kernel smoothing on an uneven checkpoint grid. The GUI draws
// smoothed curves with it, and the detectors can smooth lightly before looking
// for a breakpoint.
#include "onset/axis.h"
#include "onset/curve.h"

#include <vector>

namespace chrysalis::onset {

struct SmoothingOptions {
  /// Standard deviation of the Gaussian kernel, in units of `axis` (steps, or
  /// natural-log units for Axis::LogStep: 0.1 is about ±10% of the step).
  /// 0 turns smoothing off.
  double bandwidth = 0.0;
  Axis axis = Axis::Step;
};

/// Gaussian kernel estimate of the curve at arbitrary steps, Gasser-Mueller
/// style: each present point stands for its cell (midpoint to midpoint with
/// its neighbours) and weighs the kernel's mass over that cell. So the
/// 1k-spaced part of a grid does not outvote the 5k-spaced part next to it
/// (plain Nadaraya-Watson would weigh it five times as much). Weights are
/// normalised by their sum at every point, so there is no shrinkage at the
/// ends of the run.
/// @param curve   the measured curve; missing (NaN) values are ignored.
/// @param at      steps at which to evaluate (need not be checkpoints, e.g. a
///                dense grid for drawing). Any order.
/// @param options bandwidth and axis; bandwidth 0 interpolates linearly
///                between present points instead (and holds the end values).
/// @returns one value per entry of `at`; NaN when the curve has no present value.
/// @throws std::invalid_argument for a negative or non-finite bandwidth.
std::vector<double> smoothAt(const Curve& curve, const std::vector<double>& at,
                             const SmoothingOptions& options);

/// Smooths a curve onto its own present checkpoints.
/// @returns a curve with the present steps of `curve` and smoothed values
///          (missing points are dropped); `curve` without missing points when
///          the bandwidth is 0.
Curve smooth(const Curve& curve, const SmoothingOptions& options);

} // namespace chrysalis::onset
