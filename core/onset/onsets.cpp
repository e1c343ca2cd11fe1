#include "onset/onsets.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace chrysalis::onset {

std::optional<Onset> plateauOnset(const Curve& curve, double fraction,
                                  const SmoothingOptions& smoothing) {
  if (!std::isfinite(fraction)) {
    throw std::invalid_argument("plateau fraction must be finite, got " + std::to_string(fraction));
  }
  std::vector<size_t> kept = curve.presentIndices();
  Curve smoothed = smooth(curve, smoothing);
  if (smoothed.empty()) return std::nullopt;
  const std::vector<double>& v = smoothed.values();
  const auto top = std::max_element(v.begin(), v.end());
  const double low = *std::min_element(v.begin(), top + 1);
  const double threshold = low + fraction * (*top - low);
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] < threshold) continue;
    Onset onset;
    onset.index = kept[i];
    onset.step = curve.steps()[onset.index];
    onset.score = v[i];
    std::ostringstream method;
    method << "plateau (first reaches " << fraction * 100 << "% of the rise";
    if (smoothing.bandwidth > 0) {
      method << ", smoothed σ=" << smoothing.bandwidth << ' ' << axisName(smoothing.axis);
    }
    method << ')';
    onset.method = method.str();
    return onset;
  }
  return std::nullopt;
}

OnsetReport findOnsets(const Curve& uas, const Curve& blimp, const OnsetOptions& options) {
  OnsetReport report;
  Detection structure = detect(uas, options.detector);
  report.structure = structure.onset;
  report.structureNone = structure.noOnsetReason;
  report.plateau = plateauOnset(uas, options.plateauFraction, options.detector.smoothing);
  const std::optional<Onset>& anchor =
      options.capabilitiesAfterPlateau ? report.plateau : report.structure;
  if (anchor) {
    DetectorOptions after = options.detector;
    after.searchAfter = anchor->step;
    Detection capabilities = detect(blimp, after);
    report.capabilities = capabilities.onset;
    report.capabilitiesNone = capabilities.noOnsetReason;
  } else {
    report.capabilitiesNone = options.capabilitiesAfterPlateau
                                  ? "no UAS plateau to search after"
                                  : "no structure onset to search after";
  }
  return report;
}

} // namespace chrysalis::onset
