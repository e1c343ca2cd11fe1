#include "onset/second_derivative.h"

#include <limits>

namespace chrysalis::onset {

std::vector<double> secondDerivative(const Curve& curve, Axis axis) {
  std::vector<double> out(curve.size(), std::numeric_limits<double>::quiet_NaN());
  std::vector<size_t> kept = curve.presentIndices();
  const std::vector<double>& f = curve.values();
  for (size_t k = 1; k + 1 < kept.size(); ++k) {
    size_t a = kept[k - 1];
    size_t b = kept[k];
    size_t c = kept[k + 1];
    double xa = axisPosition(static_cast<double>(curve.steps()[a]), axis);
    double xb = axisPosition(static_cast<double>(curve.steps()[b]), axis);
    double xc = axisPosition(static_cast<double>(curve.steps()[c]), axis);
    double slopeLeft = (f[b] - f[a]) / (xb - xa);
    double slopeRight = (f[c] - f[b]) / (xc - xb);
    out[b] = (slopeRight - slopeLeft) / ((xc - xa) / 2.0);
  }
  return out;
}

} // namespace chrysalis::onset
