#pragma once
// A [checkpoints x columns] table of doubles: per-item scores for the
// bootstrap (columns = probe sentences or BLiMP pairs) or per-head accuracies
// for emergence (columns = heads).
#include "onset/curve.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace chrysalis::onset {

class CheckpointMatrix {
public:
  CheckpointMatrix() = default;

  /// @param steps   checkpoint steps, strictly increasing (one per row).
  /// @param columns number of columns.
  /// @param values  row-major, steps.size() * columns values; NaN = missing.
  /// @throws std::invalid_argument on a size mismatch or unordered steps.
  CheckpointMatrix(std::vector<int64_t> steps, size_t columns, std::vector<double> values);

  const std::vector<int64_t>& steps() const { return m_steps; }
  size_t rows() const { return m_steps.size(); }
  size_t columns() const { return m_columns; }
  double at(size_t row, size_t column) const { return m_values[row * m_columns + column]; }
  const std::vector<double>& values() const { return m_values; }

  /// @returns one column as a curve over the checkpoints.
  Curve column(size_t column) const;

private:
  std::vector<int64_t> m_steps;
  size_t m_columns = 0;
  std::vector<double> m_values;
};

} // namespace chrysalis::onset
