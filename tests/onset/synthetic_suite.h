#pragma once
// The generator behind docs/probes.md's detector table: seeded synthetic
// curves with a known sharpest upward turn (logistic rises of several widths
// and noise levels, in step or log-step shape) and curves without one (flat,
// saturating, falling), on a dense-then-sparse, a log-spaced and a demo-sized
// grid. Shared by the table tool and the tests that hold the default to it.
#include "onset/axis.h"
#include "onset/detector.h"
#include "synthetic.h"

#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace chrysalis::onset::test {

struct NamedGrid {
  std::string name;
  std::vector<int64_t> steps;
};

/// Dense then sparse at demo scale: every 10 steps to 200, then every 50 to 2,000.
inline std::vector<int64_t> demoGrid() {
  std::vector<int64_t> s;
  for (int64_t i = 0; i <= 200; i += 10)
    s.push_back(i);
  for (int64_t i = 250; i <= 2000; i += 50)
    s.push_back(i);
  return s;
}

inline std::vector<NamedGrid> suiteGrids() {
  return {{"paper (1k to 15k, then 5k)", paperGrid()},
          {"log-spaced (x1.5)", logGrid()},
          {"demo (10 to 200, then 50)", demoGrid()}};
}

/// One generated curve: `turnStep` is the true sharpest upward turn, or NaN
/// for a curve that has none.
struct SyntheticCurve {
  std::string kind; ///< "rise sharp", "flat", "saturating", ...
  Curve curve;
  double turnStep = std::nan("");
  bool hasOnset() const { return !std::isnan(turnStep); }
};

/// Noise levels as a fraction of the rise (or of the curve's change).
inline std::vector<double> suiteNoise() {
  return {0.01, 0.03, 0.1};
}

namespace detail {
inline double uniform(SplitMix64& rng, double lo, double hi) {
  return lo + (hi - lo) * static_cast<double>(rng.next() >> 11) * 0x1.0p-53;
}
inline Curve sample(const std::vector<int64_t>& grid, const std::function<double(double)>& f,
                    double sigma, SplitMix64& rng) {
  std::vector<double> v;
  for (int64_t s : grid)
    v.push_back(f(static_cast<double>(s)) + sigma * gaussian(rng));
  return Curve(grid, v);
}
} // namespace detail

/// Rises: a logistic in step or in log(1 + step), its 10-90% width 3%, 10% or
/// 30% of the grid on that axis, its centre drawn in 15-70% of it; amplitude
/// 0.3 on a base of 0.1. The truth is the logistic's f'' peak on its own axis.
/// No-onset curves: flat; 1 - exp(-x / tau) and exp(-x / tau) on either axis
/// with tau 5%, 20% or 50% of the axis range (change 0.3).
inline std::vector<SyntheticCurve> suiteCurves(const std::vector<int64_t>& grid, double noise,
                                               int trials, uint64_t seed) {
  std::vector<SyntheticCurve> out;
  SplitMix64 rng(seed);
  const double amplitude = 0.3, base = 0.1, sigma = noise * amplitude;
  const double turnOffset = std::log(2.0 + std::sqrt(3.0));
  for (Axis axis : {Axis::Step, Axis::LogStep}) {
    // A log-step shape starts at the first checkpoint after step 0: the axis
    // between log(1) and log(1 + grid[1]) holds no checkpoint to see it by.
    const double x0 = axisPosition(static_cast<double>(grid[axis == Axis::Step ? 0 : 1]), axis);
    const double x1 = axisPosition(static_cast<double>(grid.back()), axis);
    const double range = x1 - x0;
    const std::string shape = axis == Axis::Step ? " (step shape)" : " (log-step shape)";
    auto toStep = [axis](double x) { return axis == Axis::Step ? x : std::expm1(x); };
    for (auto [width, name] :
         {std::pair{0.03, "rise sharp"}, {0.1, "rise medium"}, {0.3, "rise wide"}}) {
      for (int t = 0; t < trials; ++t) {
        const double w = width * range / 4.394; // 10-90% of a logistic spans 4.394 widths
        const double centre = x0 + detail::uniform(rng, 0.15, 0.7) * range;
        auto f = [&](double s) {
          return base + amplitude / (1 + std::exp(-(axisPosition(s, axis) - centre) / w));
        };
        out.push_back(
            {name + shape, detail::sample(grid, f, sigma, rng), toStep(centre - turnOffset * w)});
      }
    }
    // Concave from step 0 on (no kink at a checkpoint, which would be a turn).
    const double full = x1 - axisPosition(static_cast<double>(grid.front()), axis);
    const double origin = axisPosition(static_cast<double>(grid.front()), axis);
    for (double tau : {0.05, 0.2, 0.5}) {
      for (int t = 0; t < trials; ++t) {
        auto sat = [&](double s) {
          return base +
                 amplitude * (1 - std::exp(-(axisPosition(s, axis) - origin) / (tau * full)));
        };
        auto fall = [&](double s) {
          return base + amplitude * std::exp(-(axisPosition(s, axis) - origin) / (tau * full));
        };
        out.push_back({"saturating" + shape, detail::sample(grid, sat, sigma, rng)});
        out.push_back({"falling" + shape, detail::sample(grid, fall, sigma, rng)});
      }
    }
  }
  for (int t = 0; t < 2 * trials; ++t)
    out.push_back({"flat", detail::sample(
                               grid, [&](double) { return base; }, sigma, rng)});
  return out;
}

/// Hit and "none" rates of one detector over a set of curves.
struct SuiteScore {
  int rises = 0, hits = 0, none = 0, noneAnswered = 0;
  double hitRate() const { return rises ? double(hits) / rises : 0; }
  double noneRate() const { return none ? double(noneAnswered) / none : 0; }
};

inline void score(SuiteScore& s, const SyntheticCurve& c, const std::vector<int64_t>& grid,
                  const DetectorOptions& options) {
  std::optional<Onset> onset = detectOnset(c.curve, options);
  if (c.hasOnset()) {
    ++s.rises;
    if (onset && withinOneSpacing(grid, onset->step, c.turnStep)) ++s.hits;
  } else {
    ++s.none;
    if (!onset) ++s.noneAnswered;
  }
}

} // namespace chrysalis::onset::test
