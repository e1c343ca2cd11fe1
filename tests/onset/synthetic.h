#pragma once
// Synthetic checkpoint curves with known onsets, shared by the onset tests.
#include "onset/curve.h"
#include "onset/random.h"

#include <cmath>
#include <cstdint>
#include <vector>

namespace chrysalis::onset::test {

/// The paper's grid: 0, 1k, ..., 15k, then 20k, 25k, ..., 100k.
inline std::vector<int64_t> paperGrid() {
  std::vector<int64_t> s;
  for (int64_t i = 0; i <= 15; ++i)
    s.push_back(i * 1000);
  for (int64_t i = 20; i <= 100; i += 5)
    s.push_back(i * 1000);
  return s;
}

/// A log-spaced grid: 0, then round(100 * 1.5^j) for j = 0..22 (100 ... ~750k).
inline std::vector<int64_t> logGrid() {
  std::vector<int64_t> s{0};
  for (int j = 0; j <= 22; ++j)
    s.push_back(std::llround(100 * std::pow(1.5, j)));
  return s;
}

/// A logistic rise base + amplitude / (1 + exp(-k (step - centre))).
struct Sigmoid {
  double centre;
  double k;
  double base = 0.1;
  double amplitude = 0.4;

  double operator()(double step) const {
    return base + amplitude / (1.0 + std::exp(-k * (step - centre)));
  }
  /// Where the rise starts: the peak of the logistic's second derivative,
  /// centre - ln(2 + sqrt 3) / k = centre - 1.317 / k.
  double riseStart() const { return centre - std::log(2.0 + std::sqrt(3.0)) / k; }
};

/// Standard normal deviate (Box-Muller on SplitMix64, so it is the same on
/// every platform).
inline double gaussian(SplitMix64& rng) {
  double u1 = static_cast<double>(rng.next() >> 11) * 0x1.0p-53;
  double u2 = static_cast<double>(rng.next() >> 11) * 0x1.0p-53;
  if (u1 < 1e-300) u1 = 1e-300;
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

/// f sampled on the grid, plus Gaussian noise of standard deviation sigma.
template <class F>
Curve sampled(const std::vector<int64_t>& grid, const F& f, double sigma = 0.0, uint64_t seed = 1) {
  SplitMix64 rng(seed);
  std::vector<double> v;
  for (int64_t s : grid)
    v.push_back(f(static_cast<double>(s)) + sigma * gaussian(rng));
  return Curve(grid, v);
}

/// "Within one grid spacing": |found - truth| <= the larger spacing of the two
/// grid intervals around truth (the one containing it and the one before).
inline bool withinOneSpacing(const std::vector<int64_t>& grid, int64_t found, double truth) {
  size_t j = 0;
  while (j + 1 < grid.size() && static_cast<double>(grid[j + 1]) <= truth)
    ++j;
  double spacing = j + 1 < grid.size() ? static_cast<double>(grid[j + 1] - grid[j]) : 0.0;
  if (j > 0) spacing = std::max(spacing, static_cast<double>(grid[j] - grid[j - 1]));
  return std::abs(static_cast<double>(found) - truth) <= spacing;
}

} // namespace chrysalis::onset::test
