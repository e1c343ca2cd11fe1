#pragma once
// The loss-slope view: how fast a metric falls per decade-like unit of
// training, -d f / d log(1 + step). A loss that accelerates at the structure
// onset shows a bump here even when the loss curve itself looks smooth.
#include "onset/curve.h"

#include <vector>

namespace chrysalis::onset {

/// -d f / d log(1 + step) at each checkpoint: a centred difference between the
/// present neighbours (one-sided at the ends). NaN where the curve is missing
/// or has fewer than two present points.
std::vector<double> fallPerLogStep(const Curve& curve);

} // namespace chrysalis::onset
