#include "onset/detector.h"

#include "onset/logistic_fit.h"
#include "onset/piecewise_linear.h"
#include "onset/second_derivative.h"

#include <cmath>
#include <sstream>

namespace chrysalis::onset {
namespace {

// The part of a (missing-free) curve the detector looks at: candidates are its
// interior points, and its first point is the last checkpoint at or before
// searchAfter, so the first candidate keeps its real left neighbour.
struct Window {
  size_t first = 0;
  size_t last = 0; // inclusive
};

std::optional<Window> searchWindow(const Curve& curve, const DetectorOptions& options) {
  const std::vector<int64_t>& s = curve.steps();
  if (s.empty()) return std::nullopt;
  Window w{0, s.size() - 1};
  if (options.searchAfter) {
    while (w.first + 1 < s.size() && s[w.first + 1] <= *options.searchAfter)
      ++w.first;
  }
  if (options.searchUntil) {
    // The first checkpoint past the limit stays as the right neighbour.
    size_t end = w.first;
    while (end < s.size() && s[end] <= *options.searchUntil)
      ++end;
    w.last = std::min(end, s.size() - 1);
  }
  if (w.last < w.first) return std::nullopt;
  return w;
}

Curve slice(const Curve& curve, Window w) {
  auto s0 = curve.steps().begin() + static_cast<std::ptrdiff_t>(w.first);
  auto v0 = curve.values().begin() + static_cast<std::ptrdiff_t>(w.first);
  auto len = static_cast<std::ptrdiff_t>(w.last - w.first + 1);
  return Curve(std::vector<int64_t>(s0, s0 + len), std::vector<double>(v0, v0 + len));
}

struct Found {
  size_t index; // into the sliced curve
  double score;
};

std::optional<Found> sharpestUpturn(const Curve& curve, Axis axis) {
  std::vector<double> d2 = secondDerivative(curve, axis);
  std::optional<Found> best;
  for (size_t i = 1; i + 1 < d2.size(); ++i) {
    if (!best || d2[i] > best->score) best = Found{i, d2[i]};
  }
  // A curve that never turns upward has no onset, only the least-bad argmax.
  if (!best || !(best->score > 0)) return std::nullopt;
  return best;
}

// The checkpoint nearest the fitted turn, kept off the window's ends so the
// onset always has a checkpoint on each side.
std::optional<Found> significantTurn(const Curve& curve, const LogisticTestOptions& options,
                                     std::string& reason) {
  LogisticTest test = testLogisticRise(curve, options);
  if (!test.significant) {
    reason = test.reason;
    return std::nullopt;
  }
  const std::vector<double> x = axisPositions(curve.steps(), test.rise->axis);
  const double turn = test.rise->turn();
  size_t nearest = 1;
  for (size_t i = 1; i + 1 < x.size(); ++i)
    if (std::abs(x[i] - turn) < std::abs(x[nearest] - turn)) nearest = i;
  return Found{nearest, test.improvement};
}

std::optional<Found> fittedBreak(const Curve& curve, int segments, Axis axis) {
  std::optional<PiecewiseLinearFit> fit = fitPiecewiseLinear(curve, segments, axis);
  if (!fit) return std::nullopt;
  return Found{fit->breakIndices.front(), fit->slopes[1] - fit->slopes[0]};
}

} // namespace

DetectorOptions logStepSmoothed(double bandwidth) {
  DetectorOptions options;
  options.method = Method::SecondDerivative;
  options.axis = Axis::LogStep;
  options.smoothing.bandwidth = bandwidth;
  options.smoothing.axis = Axis::LogStep;
  return options;
}

std::optional<Onset> detectOnset(const Curve& curve, const DetectorOptions& options) {
  return detect(curve, options).onset;
}

Detection detect(const Curve& curve, const DetectorOptions& options) {
  Detection result;
  std::vector<size_t> kept = curve.presentIndices();
  Curve prepared = curve.withoutMissing();
  if (options.falling) prepared = prepared.negated();
  prepared = smooth(prepared, options.smoothing);
  std::optional<Window> window = searchWindow(prepared, options);
  if (!window) {
    result.noOnsetReason = "no checkpoints in the search window";
    return result;
  }
  Curve part = slice(prepared, *window);

  std::optional<Found> found;
  switch (options.method) {
  case Method::LogisticTest:
    found = significantTurn(part, options.logistic, result.noOnsetReason);
    break;
  case Method::SecondDerivative:
    found = sharpestUpturn(part, options.axis);
    break;
  case Method::HingeFit:
    found = fittedBreak(part, 2, options.axis);
    break;
  case Method::ThreeSegmentFit:
    found = fittedBreak(part, 3, options.axis);
    break;
  }
  if (!found) {
    if (result.noOnsetReason.empty())
      result.noOnsetReason = part.size() < 3 ? "too few checkpoints" : "no upward turn";
    return result;
  }
  Onset onset;
  onset.index = kept[window->first + found->index];
  onset.step = curve.steps()[onset.index];
  onset.score = found->score;
  onset.method = describe(options);
  result.onset = onset;
  return result;
}

std::string describe(const DetectorOptions& options) {
  std::ostringstream out;
  switch (options.method) {
  case Method::LogisticTest:
    out << "logistic turn, significance-tested (step and log-step axes";
    break;
  case Method::SecondDerivative:
    out << "second derivative (" << axisName(options.axis) << " spacing";
    break;
  case Method::HingeFit:
    out << "2-segment hinge fit (" << axisName(options.axis) << " axis";
    break;
  case Method::ThreeSegmentFit:
    out << "3-segment fit, first break (" << axisName(options.axis) << " axis";
    break;
  }
  if (options.falling) out << ", falling";
  if (options.smoothing.bandwidth > 0) {
    out << ", smoothed σ=" << options.smoothing.bandwidth << ' '
        << axisName(options.smoothing.axis);
  }
  if (options.searchAfter) out << ", after step " << *options.searchAfter;
  if (options.searchUntil) out << ", until step " << *options.searchUntil;
  out << ')';
  return out.str();
}

} // namespace chrysalis::onset
