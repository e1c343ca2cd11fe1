#include "onset/axis.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace chrysalis::onset {

double axisPosition(double step, Axis axis) {
  if (axis == Axis::Step) return step;
  if (!(step >= 0)) {
    throw std::invalid_argument("log-step axis needs non-negative steps, got " +
                                std::to_string(step));
  }
  // log1p keeps step 0 on the axis (at 0) instead of at minus infinity.
  return std::log1p(step);
}

std::vector<double> axisPositions(const std::vector<int64_t>& steps, Axis axis) {
  std::vector<double> out;
  out.reserve(steps.size());
  for (int64_t s : steps)
    out.push_back(axisPosition(static_cast<double>(s), axis));
  return out;
}

const char* axisName(Axis axis) {
  return axis == Axis::Step ? "step" : "log-step";
}

} // namespace chrysalis::onset
