#pragma once
// The discrete second derivative on an uneven grid: the paper's onset score
// (docs/method.md, "Onset detectors"). Exposed on its own so the GUI can plot
// it under the curve.
#include "onset/axis.h"
#include "onset/curve.h"

#include <vector>

namespace chrysalis::onset {

/// Second derivative at each checkpoint using the real spacing:
///   slopeLeft  = (f[i] - f[i-1]) / (x[i] - x[i-1])
///   slopeRight = (f[i+1] - f[i]) / (x[i+1] - x[i])
///   f''[i]     = (slopeRight - slopeLeft) / ((x[i+1] - x[i-1]) / 2)
/// where x is the step on `axis`. Neighbours are the nearest present points.
/// @param curve the metric; missing points are skipped.
/// @param axis  the coordinate of the spacing (Axis::Step is the paper's).
/// @returns one value per checkpoint of `curve`; NaN at missing points and at
///          the first and last present points, which have no two neighbours.
std::vector<double> secondDerivative(const Curve& curve, Axis axis);

} // namespace chrysalis::onset
