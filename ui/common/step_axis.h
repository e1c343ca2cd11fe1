#pragma once
// The shared training-step axis: linear or logarithmic, and the mapping
// between steps and pixels (house-style §11: value structs, tested with data).
// The log scale is log10(1 + step), so step 0, where every run starts, has a
// place on it (the onset library's LogStep axis uses log(1 + step) likewise).
#include <QString>
#include <QVector>

namespace chrysalis::ui {

enum class StepScale { Linear, Log };

/// Position of a step on the scale's axis coordinate.
double stepToAxis(double step, StepScale scale);
/// Inverse of stepToAxis().
double axisToStep(double axis, StepScale scale);

/// A visible step interval.
struct StepRange {
  double first = 0.0;
  double last = 0.0;
  bool isValid() const { return last > first; }
  bool operator==(const StepRange& o) const { return first == o.first && last == o.last; }
  bool operator!=(const StepRange& o) const { return !(*this == o); }
};

/// Maps steps to x pixels inside a plot area and back.
struct StepAxisMapping {
  StepScale scale = StepScale::Linear;
  StepRange range;
  double left = 0.0;  ///< x pixel of range.first
  double right = 0.0; ///< x pixel of range.last

  bool isValid() const { return range.isValid() && right > left; }
  double stepToX(double step) const;
  double xToStep(double x) const;
  /// The range after zooming by `factor` (< 1 zooms in) around pixel x.
  StepRange zoomedAt(double x, double factor) const;
  /// The range after dragging the content by dx pixels.
  StepRange panned(double dx) const;
};

struct AxisTick {
  double step = 0.0;
  QString label;
};

/// Readable ticks: 1/2/5 multiples on a linear axis, powers of ten (and 2x,
/// 5x when the range is short) on a log axis, plus 0 when it is in range.
QVector<AxisTick> stepTicks(const StepRange& range, StepScale scale, int maxTicks = 8);

/// "0", "500", "1k", "1.5k", "20k", "1.2M": short labels for steps.
QString formatStep(double step);

} // namespace chrysalis::ui
