#pragma once
// The alternative detector: a continuous piecewise-linear least-squares fit
// with breaks at checkpoints. Exposed on its own so the GUI can draw the fit.
#include "onset/axis.h"
#include "onset/curve.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace chrysalis::onset {

struct PiecewiseLinearFit {
  /// Indices (into the curve passed in) of the breaks, ascending: one for a
  /// 2-segment fit, two for a 3-segment fit.
  std::vector<size_t> breakIndices;
  std::vector<int64_t> breakSteps;
  /// Slope of each segment, in value units per unit of the fit's axis.
  std::vector<double> slopes;
  /// Fitted value at each checkpoint of the curve passed in (NaN where the
  /// curve is missing).
  std::vector<double> fitted;
  /// Residual sum of squares.
  double sse = 0.0;
};

/// Best continuous piecewise-linear fit (least squares) with `segments` - 1
/// breaks placed at interior present checkpoints, among fits whose slope
/// increases at the first break. Every pair of breaks is tried exactly, so the
/// cost is O(n^2) fits of O(n) for 3 segments: fine for the few hundred
/// checkpoints a run has.
/// @param curve    the metric; missing points are skipped.
/// @param segments 2 (a hinge) or 3.
/// @param axis     x coordinate of the lines (steps or log(1 + step)).
/// @returns the fit, or nullopt with fewer than segments + 1 present points or
///          when no fit has an upward first break.
/// @throws std::invalid_argument for a segment count other than 2 or 3.
std::optional<PiecewiseLinearFit> fitPiecewiseLinear(const Curve& curve, int segments, Axis axis);

} // namespace chrysalis::onset
