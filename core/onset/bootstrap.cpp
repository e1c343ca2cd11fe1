#include "onset/bootstrap.h"

#include "onset/random.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace chrysalis::onset {
namespace {

std::vector<double> checkedWeights(const ItemScores& items) {
  size_t n = items.scores.columns();
  if (items.weights.empty()) return std::vector<double>(n, 1.0);
  if (items.weights.size() != n) {
    throw std::invalid_argument("bootstrap: " + std::to_string(items.weights.size()) +
                                " weights for " + std::to_string(n) + " items");
  }
  double total = 0.0;
  for (size_t j = 0; j < n; ++j) {
    double w = items.weights[j];
    if (!std::isfinite(w) || w < 0) {
      throw std::invalid_argument("bootstrap: weight of item " + std::to_string(j) +
                                  " must be finite and >= 0, got " + std::to_string(w));
    }
    total += w;
  }
  if (!(total > 0)) throw std::invalid_argument("bootstrap: all item weights are zero");
  return items.weights;
}

// The metric when item j is counted multiplicity[j] times; only items with a
// nonzero multiplicity are listed, which skips about a third of the work.
Curve resampledMean(const CheckpointMatrix& scores, const std::vector<size_t>& drawn,
                    const std::vector<double>& drawnWeight) {
  std::vector<double> v(scores.rows(), std::numeric_limits<double>::quiet_NaN());
  for (size_t r = 0; r < scores.rows(); ++r) {
    double sum = 0.0;
    double weight = 0.0;
    for (size_t k = 0; k < drawn.size(); ++k) {
      double x = scores.at(r, drawn[k]);
      if (std::isnan(x)) continue;
      sum += drawnWeight[k] * x;
      weight += drawnWeight[k];
    }
    if (weight > 0) v[r] = sum / weight;
  }
  return Curve(scores.steps(), std::move(v));
}

// One bootstrap resample of the items, as a curve.
Curve resample(const CheckpointMatrix& scores, const std::vector<double>& weights,
               SplitMix64& rng) {
  size_t n = scores.columns();
  std::vector<uint32_t> count(n, 0);
  for (size_t k = 0; k < n; ++k)
    ++count[rng.below(n)];
  std::vector<size_t> drawn;
  std::vector<double> drawnWeight;
  for (size_t j = 0; j < n; ++j) {
    if (count[j] == 0 || weights[j] == 0) continue;
    drawn.push_back(j);
    drawnWeight.push_back(count[j] * weights[j]);
  }
  return resampledMean(scores, drawn, drawnWeight);
}

// Nearest-rank quantile of sorted values, so the answer is one of them.
int64_t quantile(const std::vector<int64_t>& sorted, double q) {
  double rank = std::ceil(q * static_cast<double>(sorted.size()) - 1e-9);
  size_t i = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return sorted[std::min(i, sorted.size() - 1)];
}

void checkQuantiles(const BootstrapOptions& options) {
  if (!(options.lowQuantile >= 0 && options.lowQuantile <= options.highQuantile &&
        options.highQuantile <= 1)) {
    throw std::invalid_argument("bootstrap: need 0 <= lowQuantile <= highQuantile <= 1");
  }
}

void attachInterval(std::optional<Onset>& onset, const std::vector<std::optional<int64_t>>& steps,
                    const BootstrapOptions& options) {
  if (!onset) return;
  std::vector<int64_t> found;
  size_t agree = 0;
  for (const std::optional<int64_t>& s : steps) {
    if (!s) continue;
    found.push_back(*s);
    if (*s == onset->step) ++agree;
  }
  onset->agreement =
      steps.empty() ? 0.0 : static_cast<double>(agree) / static_cast<double>(steps.size());
  if (found.empty()) return;
  std::sort(found.begin(), found.end());
  onset->lowStep = quantile(found, options.lowQuantile);
  onset->highStep = quantile(found, options.highQuantile);
}

std::optional<int64_t> stepOf(const std::optional<Onset>& onset) {
  return onset ? std::optional<int64_t>(onset->step) : std::nullopt;
}

bool keepGoing(const BootstrapOptions& options, size_t done) {
  return !options.progress ||
         options.progress(static_cast<int64_t>(done), static_cast<int64_t>(options.resamples));
}

} // namespace

Curve weightedMean(const ItemScores& items) {
  std::vector<double> weights = checkedWeights(items);
  std::vector<size_t> all;
  std::vector<double> allWeight;
  for (size_t j = 0; j < weights.size(); ++j) {
    if (weights[j] == 0) continue;
    all.push_back(j);
    allWeight.push_back(weights[j]);
  }
  return resampledMean(items.scores, all, allWeight);
}

BootstrapResult bootstrapOnset(const ItemScores& items, const DetectorOptions& detector,
                               const BootstrapOptions& options) {
  checkQuantiles(options);
  std::vector<double> weights = checkedWeights(items);
  BootstrapResult result;
  result.onset = detectOnset(weightedMean(items), detector);
  // Each resample gets its own stream, so resample b does not depend on how
  // many draws the others made.
  SplitMix64 seeds(options.seed);
  for (size_t b = 0; b < options.resamples; ++b) {
    SplitMix64 rng(seeds.next());
    result.resampledSteps.push_back(
        stepOf(detectOnset(resample(items.scores, weights, rng), detector)));
    if (!keepGoing(options, b + 1)) {
      result.cancelled = true;
      break;
    }
  }
  attachInterval(result.onset, result.resampledSteps, options);
  return result;
}

BootstrapReport bootstrapOnsets(const ItemScores& uas, const ItemScores& blimp,
                                const OnsetOptions& onsets, const BootstrapOptions& options) {
  checkQuantiles(options);
  std::vector<double> uasWeights = checkedWeights(uas);
  std::vector<double> blimpWeights = checkedWeights(blimp);
  BootstrapReport out;
  out.report = findOnsets(weightedMean(uas), weightedMean(blimp), onsets);
  SplitMix64 seeds(options.seed);
  for (size_t b = 0; b < options.resamples; ++b) {
    SplitMix64 rng(seeds.next());
    Curve uasCurve = resample(uas.scores, uasWeights, rng);
    Curve blimpCurve = resample(blimp.scores, blimpWeights, rng);
    OnsetReport r = findOnsets(uasCurve, blimpCurve, onsets);
    out.structureSteps.push_back(stepOf(r.structure));
    out.capabilitiesSteps.push_back(stepOf(r.capabilities));
    out.plateauSteps.push_back(stepOf(r.plateau));
    if (!keepGoing(options, b + 1)) {
      out.cancelled = true;
      break;
    }
  }
  attachInterval(out.report.structure, out.structureSteps, options);
  attachInterval(out.report.capabilities, out.capabilitiesSteps, options);
  attachInterval(out.report.plateau, out.plateauSteps, options);
  return out;
}

} // namespace chrysalis::onset
