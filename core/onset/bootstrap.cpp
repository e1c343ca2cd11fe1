#include "onset/bootstrap.h"

#include "onset/random.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

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

// One resample: n draws with replacement, as how often each item was drawn.
std::vector<uint32_t> drawCounts(size_t n, SplitMix64& rng) {
  std::vector<uint32_t> count(n, 0);
  for (size_t k = 0; k < n; ++k)
    ++count[rng.below(n)];
  return count;
}

// The metric with item j counted count[j] times.
Curve countedMean(const CheckpointMatrix& scores, const std::vector<double>& weights,
                  const std::vector<uint32_t>& count) {
  std::vector<size_t> drawn;
  std::vector<double> drawnWeight;
  for (size_t j = 0; j < scores.columns(); ++j) {
    if (count[j] == 0 || weights[j] == 0) continue;
    drawn.push_back(j);
    drawnWeight.push_back(count[j] * weights[j]);
  }
  return resampledMean(scores, drawn, drawnWeight);
}

// One bootstrap resample of the items, as a curve.
Curve resample(const CheckpointMatrix& scores, const std::vector<double>& weights,
               SplitMix64& rng) {
  return countedMean(scores, weights, drawCounts(scores.columns(), rng));
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

namespace {

using CurvePair = std::pair<Curve, Curve>; // UAS, BLiMP

// findOnsets on all items, then on each resample, with the intervals attached.
BootstrapReport reportWithIntervals(const CurvePair& all,
                                    const std::function<CurvePair(SplitMix64&)>& resampled,
                                    const OnsetOptions& onsets, const BootstrapOptions& options) {
  BootstrapReport out;
  out.report = findOnsets(all.first, all.second, onsets);
  SplitMix64 seeds(options.seed);
  for (size_t b = 0; b < options.resamples; ++b) {
    SplitMix64 rng(seeds.next());
    const CurvePair curves = resampled(rng);
    OnsetReport r = findOnsets(curves.first, curves.second, onsets);
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

// The seeds' metric with item j counted count[j] times in every seed.
Curve seedCountedMean(const std::vector<ItemScores>& seeds,
                      const std::vector<std::vector<double>>& weights,
                      const std::vector<uint32_t>& count) {
  std::vector<Curve> curves;
  for (size_t i = 0; i < seeds.size(); ++i)
    curves.push_back(countedMean(seeds[i].scores, weights[i], count));
  return seedMean(curves);
}

// Every seed's weights, after checking that all seeds score the same items.
std::vector<std::vector<double>> seedWeights(const std::vector<ItemScores>& seeds,
                                             const char* metric) {
  if (seeds.empty()) throw std::invalid_argument("seed bootstrap: no seeds");
  std::vector<std::vector<double>> out;
  for (const ItemScores& s : seeds) {
    if (s.scores.columns() != seeds.front().scores.columns()) {
      throw std::invalid_argument(std::string("seed bootstrap: the seeds' ") + metric +
                                  " items differ (" + std::to_string(s.scores.columns()) + " vs " +
                                  std::to_string(seeds.front().scores.columns()) + ")");
    }
    out.push_back(checkedWeights(s));
  }
  return out;
}

} // namespace

BootstrapReport bootstrapOnsets(const ItemScores& uas, const ItemScores& blimp,
                                const OnsetOptions& onsets, const BootstrapOptions& options) {
  checkQuantiles(options);
  std::vector<double> uasWeights = checkedWeights(uas);
  std::vector<double> blimpWeights = checkedWeights(blimp);
  return reportWithIntervals(
      {weightedMean(uas), weightedMean(blimp)},
      [&](SplitMix64& rng) {
        Curve uasCurve = resample(uas.scores, uasWeights, rng);
        return CurvePair{std::move(uasCurve), resample(blimp.scores, blimpWeights, rng)};
      },
      onsets, options);
}

Curve seedMean(const std::vector<Curve>& seeds) {
  if (seeds.empty()) return {};
  std::vector<int64_t> steps;
  std::vector<double> values;
  for (size_t r = 0; r < seeds.front().size(); ++r) {
    const int64_t step = seeds.front().steps()[r];
    double sum = 0.0;
    bool everySeed = true, allFinite = true;
    for (const Curve& c : seeds) {
      const auto it = std::lower_bound(c.steps().begin(), c.steps().end(), step);
      if (it == c.steps().end() || *it != step) {
        everySeed = false;
        break;
      }
      const double v = c.values()[static_cast<size_t>(it - c.steps().begin())];
      allFinite = allFinite && std::isfinite(v);
      sum += v;
    }
    if (!everySeed) continue;
    steps.push_back(step);
    values.push_back(allFinite ? sum / static_cast<double>(seeds.size())
                               : std::numeric_limits<double>::quiet_NaN());
  }
  return Curve(std::move(steps), std::move(values));
}

BootstrapReport bootstrapSeedOnsets(const std::vector<ItemScores>& uas,
                                    const std::vector<ItemScores>& blimp,
                                    const OnsetOptions& onsets, const BootstrapOptions& options) {
  checkQuantiles(options);
  if (uas.size() != blimp.size())
    throw std::invalid_argument("seed bootstrap: UAS and BLiMP items of different seed counts");
  const auto uasWeights = seedWeights(uas, "UAS");
  const auto blimpWeights = seedWeights(blimp, "BLiMP");
  const size_t nUas = uas.front().scores.columns(), nBlimp = blimp.front().scores.columns();
  return reportWithIntervals(
      {seedCountedMean(uas, uasWeights, std::vector<uint32_t>(nUas, 1)),
       seedCountedMean(blimp, blimpWeights, std::vector<uint32_t>(nBlimp, 1))},
      [&](SplitMix64& rng) {
        // One draw for every seed: the seeds were probed on the same items.
        const std::vector<uint32_t> uasCount = drawCounts(nUas, rng);
        const std::vector<uint32_t> blimpCount = drawCounts(nBlimp, rng);
        return CurvePair{seedCountedMean(uas, uasWeights, uasCount),
                         seedCountedMean(blimp, blimpWeights, blimpCount)};
      },
      onsets, options);
}

} // namespace chrysalis::onset
