#pragma once
// A metric sampled at checkpoints: the input of every onset detector.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace chrysalis::onset {

/// One metric over a training run. Steps are strictly increasing; values may
/// be NaN, which means "not measured at this checkpoint" and is dropped before
/// detection. Infinite values are rejected: they are never a real measurement.
class Curve {
public:
  Curve() = default;

  /// @param steps  checkpoint steps, strictly increasing.
  /// @param values one value per step; NaN marks a missing measurement.
  /// @throws std::invalid_argument when the sizes differ, the steps are not
  ///         strictly increasing, or a value is infinite.
  Curve(std::vector<int64_t> steps, std::vector<double> values);

  const std::vector<int64_t>& steps() const { return m_steps; }
  const std::vector<double>& values() const { return m_values; }
  size_t size() const { return m_steps.size(); }
  bool empty() const { return m_steps.empty(); }

  /// @returns the indices (into this curve) of the non-missing values, in order.
  std::vector<size_t> presentIndices() const;

  /// @returns this curve without its missing (NaN) points.
  Curve withoutMissing() const;

  /// @returns the curve with every value negated (for falling metrics).
  Curve negated() const;

private:
  std::vector<int64_t> m_steps;
  std::vector<double> m_values;
};

/// Checks that steps are strictly increasing.
/// @param steps the steps to check.
/// @param what  a name for the caller's data, used in the error message.
/// @throws std::invalid_argument naming the first offending pair.
void requireIncreasingSteps(const std::vector<int64_t>& steps, const char* what);

} // namespace chrysalis::onset
