#include "onset/curve.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace chrysalis::onset {

void requireIncreasingSteps(const std::vector<int64_t>& steps, const char* what) {
  for (size_t i = 1; i < steps.size(); ++i) {
    if (steps[i] <= steps[i - 1]) {
      throw std::invalid_argument(std::string(what) + ": steps must be strictly increasing, but " +
                                  "step " + std::to_string(steps[i]) + " (index " +
                                  std::to_string(i) + ") follows step " +
                                  std::to_string(steps[i - 1]));
    }
  }
}

Curve::Curve(std::vector<int64_t> steps, std::vector<double> values)
    : m_steps(std::move(steps)), m_values(std::move(values)) {
  if (m_steps.size() != m_values.size()) {
    throw std::invalid_argument("curve: " + std::to_string(m_steps.size()) + " steps but " +
                                std::to_string(m_values.size()) + " values");
  }
  requireIncreasingSteps(m_steps, "curve");
  for (size_t i = 0; i < m_values.size(); ++i) {
    if (std::isinf(m_values[i])) {
      throw std::invalid_argument("curve: value at step " + std::to_string(m_steps[i]) +
                                  " is infinite (use NaN for a missing value)");
    }
  }
}

std::vector<size_t> Curve::presentIndices() const {
  std::vector<size_t> kept;
  kept.reserve(m_values.size());
  for (size_t i = 0; i < m_values.size(); ++i) {
    if (!std::isnan(m_values[i])) kept.push_back(i);
  }
  return kept;
}

Curve Curve::withoutMissing() const {
  Curve out;
  for (size_t i : presentIndices()) {
    out.m_steps.push_back(m_steps[i]);
    out.m_values.push_back(m_values[i]);
  }
  return out;
}

Curve Curve::negated() const {
  Curve out = *this;
  for (double& v : out.m_values)
    v = -v;
  return out;
}

} // namespace chrysalis::onset
