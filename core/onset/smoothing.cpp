#include "onset/smoothing.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace chrysalis::onset {
namespace {

// Linear interpolation between present points, holding the end values.
double interpolate(const std::vector<double>& xs, const std::vector<double>& ys, double x) {
  if (x <= xs.front()) return ys.front();
  if (x >= xs.back()) return ys.back();
  size_t hi = static_cast<size_t>(std::upper_bound(xs.begin(), xs.end(), x) - xs.begin());
  size_t lo = hi - 1;
  double t = (x - xs[lo]) / (xs[hi] - xs[lo]);
  return ys[lo] + t * (ys[hi] - ys[lo]);
}

// Gaussian probability mass on [a, b], computed from the nearer tail so
// that cells far out in one tail do not cancel to zero.
double gaussianMass(double a, double b) {
  constexpr double kInvSqrt2 = 0.7071067811865476;
  if (a >= 0) return 0.5 * (std::erfc(a * kInvSqrt2) - std::erfc(b * kInvSqrt2));
  if (b <= 0) return 0.5 * (std::erfc(-b * kInvSqrt2) - std::erfc(-a * kInvSqrt2));
  return 1.0 - 0.5 * (std::erfc(-a * kInvSqrt2) + std::erfc(b * kInvSqrt2));
}

// Gasser-Mueller estimate: point i stands for its cell (from the midpoint with
// its left neighbour to the midpoint with its right one) and weighs the
// kernel's mass over that cell. A stretch of dense checkpoints thus weighs as
// much as one sparse checkpoint covering the same stretch, and a checkpoint
// next to a long gap counts no further than the kernel reaches.
double kernelMean(const std::vector<double>& xs, const std::vector<double>& ys, double x,
                  double bandwidth) {
  size_t n = xs.size();
  double sum = 0.0;
  double weightSum = 0.0;
  for (size_t i = 0; i < n; ++i) {
    double lo = i == 0 ? xs[0] : (xs[i - 1] + xs[i]) / 2.0;
    double hi = i + 1 == n ? xs[n - 1] : (xs[i] + xs[i + 1]) / 2.0;
    double w = gaussianMass((lo - x) / bandwidth, (hi - x) / bandwidth);
    sum += w * ys[i];
    weightSum += w;
  }
  if (weightSum > 0) return sum / weightSum;
  // Far outside the run (or a single point) every mass underflows: hold the
  // nearest value, as the zero-bandwidth interpolation does.
  return interpolate(xs, ys, x);
}

} // namespace

std::vector<double> smoothAt(const Curve& curve, const std::vector<double>& at,
                             const SmoothingOptions& options) {
  if (!std::isfinite(options.bandwidth) || options.bandwidth < 0) {
    throw std::invalid_argument("smoothing bandwidth must be finite and >= 0, got " +
                                std::to_string(options.bandwidth));
  }
  Curve present = curve.withoutMissing();
  std::vector<double> out(at.size(), std::numeric_limits<double>::quiet_NaN());
  if (present.empty()) return out;
  std::vector<double> xs = axisPositions(present.steps(), options.axis);
  const std::vector<double>& ys = present.values();
  for (size_t k = 0; k < at.size(); ++k) {
    double x = axisPosition(at[k], options.axis);
    out[k] = options.bandwidth == 0.0 ? interpolate(xs, ys, x)
                                      : kernelMean(xs, ys, x, options.bandwidth);
  }
  return out;
}

Curve smooth(const Curve& curve, const SmoothingOptions& options) {
  Curve present = curve.withoutMissing();
  if (options.bandwidth == 0.0 && std::isfinite(options.bandwidth)) return present;
  std::vector<double> at(present.steps().begin(), present.steps().end());
  return Curve(present.steps(), smoothAt(present, at, options));
}

} // namespace chrysalis::onset
