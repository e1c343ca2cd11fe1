#include "onset/checkpoint_matrix.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace chrysalis::onset {

CheckpointMatrix::CheckpointMatrix(std::vector<int64_t> steps, size_t columns,
                                   std::vector<double> values)
    : m_steps(std::move(steps)), m_columns(columns), m_values(std::move(values)) {
  if (m_values.size() != m_steps.size() * m_columns) {
    throw std::invalid_argument("checkpoint matrix: " + std::to_string(m_steps.size()) +
                                " steps x " + std::to_string(m_columns) + " columns needs " +
                                std::to_string(m_steps.size() * m_columns) + " values, got " +
                                std::to_string(m_values.size()));
  }
  requireIncreasingSteps(m_steps, "checkpoint matrix");
  for (double v : m_values) {
    if (std::isinf(v)) {
      throw std::invalid_argument("checkpoint matrix: infinite value (use NaN for missing)");
    }
  }
}

Curve CheckpointMatrix::column(size_t column) const {
  if (column >= m_columns) {
    throw std::out_of_range("checkpoint matrix: column " + std::to_string(column) + " of " +
                            std::to_string(m_columns));
  }
  std::vector<double> v;
  v.reserve(m_steps.size());
  for (size_t r = 0; r < m_steps.size(); ++r)
    v.push_back(at(r, column));
  return Curve(m_steps, std::move(v));
}

} // namespace chrysalis::onset
