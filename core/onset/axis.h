#pragma once
// The coordinate in which step distances are measured. Smoothing and the
// detectors both take it, so one choice applies to the whole analysis.
#include <cstdint>
#include <vector>

namespace chrysalis::onset {

enum class Axis {
  /// Raw training steps (the paper's; docs/method.md, "Onset detectors").
  Step,
  /// log(1 + step): equal ratios of steps are equal distances. Suits
  /// log-like checkpoint grids, where raw spacing varies by orders of magnitude.
  LogStep,
};

/// @returns the position of `step` on `axis` (a double so that points between
///          checkpoints can be placed too, e.g. when drawing).
/// @throws std::invalid_argument for a negative step on Axis::LogStep.
double axisPosition(double step, Axis axis);

/// @returns axisPosition() of every step, in order.
std::vector<double> axisPositions(const std::vector<int64_t>& steps, Axis axis);

/// @returns "step" or "log-step", for method names shown to the user.
const char* axisName(Axis axis);

} // namespace chrysalis::onset
