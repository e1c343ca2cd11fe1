#include "onset/log_slope.h"

#include "onset/axis.h"

#include <cmath>

namespace chrysalis::onset {

std::vector<double> fallPerLogStep(const Curve& curve) {
  std::vector<double> out(curve.size(), std::nan(""));
  const std::vector<size_t> kept = curve.presentIndices();
  if (kept.size() < 2) return out;
  auto x = [&](size_t k) {
    return axisPosition(static_cast<double>(curve.steps()[kept[k]]), Axis::LogStep);
  };
  auto y = [&](size_t k) { return curve.values()[kept[k]]; };
  for (size_t k = 0; k < kept.size(); ++k) {
    const size_t a = k == 0 ? 0 : k - 1, b = k + 1 == kept.size() ? k : k + 1;
    out[kept[k]] = -(y(b) - y(a)) / (x(b) - x(a));
  }
  return out;
}

} // namespace chrysalis::onset
