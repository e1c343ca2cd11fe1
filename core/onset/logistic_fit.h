#pragma once
// The default onset detector's model: a logistic rise fitted by least squares
// on both step axes, tested against fits that have no upward turn inside the
// run. Exposed on its own so tests and the GUI can look at the fit.
#include "onset/axis.h"
#include "onset/curve.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace chrysalis::onset {

/// f(x) = base + amplitude / (1 + exp(-(x - centre) / width)), x on `axis`.
struct LogisticRise {
  Axis axis = Axis::Step;
  double base = 0.0;
  double amplitude = 0.0;
  double centre = 0.0;
  double width = 1.0;
  double sse = 0.0; ///< residual sum of squares over the fitted points

  double operator()(double x) const;
  /// Where the rise turns upward most sharply: the peak of f'' at
  /// centre - ln(2 + sqrt 3) * width, on `axis`.
  double turn() const;
};

struct LogisticTestOptions {
  /// The upward turn must improve the fit by this many noise variances
  /// (a likelihood-ratio statistic) over the best fit without an interior
  /// turn. Chosen by the synthetic-curve table in docs/probes.md.
  double minImprovement = 7.0;
  /// The rise after the turn, within the run, must exceed this many noise
  /// standard deviations.
  double minRiseInNoise = 3.0;
  /// Noise is never taken below this fraction of the curve's range, so an
  /// exact (noise-free) curve's microscopic misfits are not "significant".
  double noiseFloor = 0.005;
};

struct LogisticTest {
  /// The best fit with its turn inside the run (second to next-to-last
  /// checkpoint); absent with fewer than 5 points.
  std::optional<LogisticRise> rise;
  /// Error of the best fit without an interior upward turn: a constant, an
  /// exponential approach or decay, or a logistic of either sign turning at
  /// or before the first checkpoint or at or after the last.
  double nullSse = 0.0;
  double noise = 0.0;       ///< estimated noise standard deviation
  double improvement = 0.0; ///< (null sse - rise sse) / noise^2
  double riseInNoise = 0.0; ///< fitted rise after the turn, in noise sds
  bool significant = false;
  /// Why there is no onset ("" when significant), for the user.
  std::string reason;
};

/// Fits and tests a logistic rise on both Axis::Step and Axis::LogStep (the
/// axis whose best interior fit has the smaller error wins).
/// @param curve missing-free, rising (negate falling metrics first).
LogisticTest testLogisticRise(const Curve& curve, const LogisticTestOptions& options = {});

} // namespace chrysalis::onset
