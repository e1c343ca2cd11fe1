#include "common/step_axis.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace chrysalis::ui {

double stepToAxis(double step, StepScale scale) {
  return scale == StepScale::Log ? std::log10(1.0 + std::max(0.0, step)) : step;
}

double axisToStep(double axis, StepScale scale) {
  return scale == StepScale::Log ? std::pow(10.0, axis) - 1.0 : axis;
}

double StepAxisMapping::stepToX(double step) const {
  const double a = stepToAxis(range.first, scale), b = stepToAxis(range.last, scale);
  if (b <= a) return left;
  return left + (stepToAxis(step, scale) - a) / (b - a) * (right - left);
}

double StepAxisMapping::xToStep(double x) const {
  const double a = stepToAxis(range.first, scale), b = stepToAxis(range.last, scale);
  if (right <= left) return range.first;
  return axisToStep(a + (x - left) / (right - left) * (b - a), scale);
}

StepRange StepAxisMapping::zoomedAt(double x, double factor) const {
  const double a = stepToAxis(range.first, scale), b = stepToAxis(range.last, scale);
  const double pivot = stepToAxis(xToStep(x), scale);
  StepRange r{axisToStep(pivot - (pivot - a) * factor, scale),
              axisToStep(pivot + (b - pivot) * factor, scale)};
  r.first = std::max(0.0, r.first); // there are no negative steps
  return r;
}

StepRange StepAxisMapping::panned(double dx) const {
  const double a = stepToAxis(range.first, scale), b = stepToAxis(range.last, scale);
  double shift = -dx / (right - left) * (b - a);
  if (a + shift < 0.0) shift = -a; // stop at step 0
  return {axisToStep(a + shift, scale), axisToStep(b + shift, scale)};
}

QString formatStep(double step) {
  const double s = std::round(step);
  const double a = std::abs(s);
  // Exact: as many decimals as the step needs (1250 is "1.25k", never the
  // rounded "1.3k" that names another step), trailing zeros dropped.
  auto trim = [](double v, int decimals) {
    QString t = QString::number(v, 'f', decimals);
    while (t.endsWith(QLatin1Char('0')))
      t.chop(1);
    if (t.endsWith(QLatin1Char('.'))) t.chop(1);
    return t;
  };
  if (a >= 1e6) return trim(s / 1e6, 6) + QLatin1Char('M');
  if (a >= 1e3) return trim(s / 1e3, 3) + QLatin1Char('k');
  return QString::number(static_cast<qint64>(s));
}

namespace {

QVector<AxisTick> linearTicks(const StepRange& r, int maxTicks) {
  const double span = r.last - r.first;
  const double raw = span / std::max(1, maxTicks - 1);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  step = std::max(1.0, step);
  QVector<AxisTick> ticks;
  for (double t = std::ceil(r.first / step) * step; t <= r.last + 1e-9 * span; t += step)
    ticks.push_back({t, formatStep(t)});
  return ticks;
}

QVector<AxisTick> logTicks(const StepRange& r, int maxTicks) {
  QVector<AxisTick> ticks;
  if (r.first <= 0.0) ticks.push_back({0.0, QStringLiteral("0")});
  const double lo = std::max(1.0, r.first);
  const int e0 = static_cast<int>(std::floor(std::log10(lo))),
            e1 = static_cast<int>(std::ceil(std::log10(std::max(lo, r.last))));
  // Decades alone when there are enough of them; 1-2-5 within decades otherwise.
  const bool dense = e1 - e0 < 3;
  const std::vector<double> multiples =
      dense ? std::vector<double>{1, 2, 5} : std::vector<double>{1};
  for (int e = std::max(0, e0); e <= e1; ++e)
    for (double m : multiples) {
      const double t = m * std::pow(10.0, e);
      if (t >= r.first && t <= r.last && t >= 10.0) ticks.push_back({t, formatStep(t)});
    }
  while (ticks.size() > maxTicks && ticks.size() > 2) {
    // Thin out from the inside, keeping the ends.
    QVector<AxisTick> thin;
    for (int i = 0; i < ticks.size(); i += 2)
      thin.push_back(ticks[i]);
    ticks = thin;
  }
  return ticks;
}

} // namespace

QVector<AxisTick> stepTicks(const StepRange& range, StepScale scale, int maxTicks) {
  if (!range.isValid()) return {};
  return scale == StepScale::Log ? logTicks(range, maxTicks) : linearTicks(range, maxTicks);
}

} // namespace chrysalis::ui
