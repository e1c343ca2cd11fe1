#include "onset/head_emergence.h"

#include <algorithm>
#include <iomanip>
#include <limits>
#include <sstream>

namespace chrysalis::onset {

double largestRise(const Curve& curve) {
  double lowest = std::numeric_limits<double>::infinity();
  double rise = 0.0;
  for (size_t i : curve.presentIndices()) {
    double v = curve.values()[i];
    rise = std::max(rise, v - lowest);
    lowest = std::min(lowest, v);
  }
  return rise;
}

std::vector<HeadEmergence> headEmergence(const CheckpointMatrix& accuracy,
                                         const HeadEmergenceOptions& options) {
  std::vector<HeadEmergence> out;
  out.reserve(accuracy.columns());
  for (size_t h = 0; h < accuracy.columns(); ++h) {
    Curve curve = accuracy.column(h);
    // Measure the rise on what the detector sees, so the threshold means the
    // same thing for falling metrics and smoothed curves.
    Curve seen = curve.withoutMissing();
    if (options.detector.falling) seen = seen.negated();
    seen = smooth(seen, options.detector.smoothing);
    HeadEmergence head;
    head.rise = largestRise(seen);
    if (head.rise >= options.minRise) {
      Detection d = detect(curve, options.detector);
      head.onset = d.onset;
      head.noOnsetReason = std::move(d.noOnsetReason);
    } else {
      std::ostringstream why;
      why << "rise " << std::fixed << std::setprecision(3) << head.rise << " < "
          << std::defaultfloat << options.minRise;
      head.noOnsetReason = why.str();
    }
    out.push_back(std::move(head));
  }
  return out;
}

std::vector<double> emergenceSteps(const std::vector<HeadEmergence>& heads) {
  std::vector<double> out;
  out.reserve(heads.size());
  for (const HeadEmergence& h : heads) {
    out.push_back(h.onset ? static_cast<double>(h.onset->step)
                          : std::numeric_limits<double>::quiet_NaN());
  }
  return out;
}

} // namespace chrysalis::onset
