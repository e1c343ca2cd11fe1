#include "heads/color_map.h"

#include <algorithm>
#include <cmath>

namespace chrysalis::ui {
namespace {

struct Stop {
  double t;
  int r, g, b;
};

// Viridis at 9 stops (matplotlib's, public domain, CC0).
constexpr Stop kViridis[] = {{0.000, 68, 1, 84},    {0.125, 71, 44, 122},  {0.250, 59, 81, 139},
                             {0.375, 44, 113, 142}, {0.500, 33, 144, 141}, {0.625, 39, 173, 129},
                             {0.750, 92, 200, 99},  {0.875, 170, 220, 50}, {1.000, 253, 231, 37}};
// ColorBrewer RdBu (reversed so that negative = blue), 7 stops.
constexpr Stop kDiverging[] = {
    {0.000, 33, 102, 172},  {0.167, 103, 169, 207}, {0.333, 209, 229, 240}, {0.500, 247, 247, 247},
    {0.667, 253, 219, 199}, {0.833, 239, 138, 98},  {1.000, 178, 24, 43}};

template <size_t N> QColor interpolate(const Stop (&stops)[N], double t) {
  t = std::clamp(t, 0.0, 1.0);
  for (size_t i = 1; i < N; ++i)
    if (t <= stops[i].t) {
      const Stop& a = stops[i - 1];
      const Stop& b = stops[i];
      const double u = (t - a.t) / (b.t - a.t);
      return QColor::fromRgbF(static_cast<float>((a.r + u * (b.r - a.r)) / 255.0),
                              static_cast<float>((a.g + u * (b.g - a.g)) / 255.0),
                              static_cast<float>((a.b + u * (b.b - a.b)) / 255.0));
    }
  return QColor(stops[N - 1].r, stops[N - 1].g, stops[N - 1].b);
}

} // namespace

QColor mapColor(ColorMapKind kind, double t) {
  if (std::isnan(t)) return QColor(0x9A, 0x9A, 0x9A);
  return kind == ColorMapKind::Sequential ? interpolate(kViridis, t) : interpolate(kDiverging, t);
}

double colorPosition(ColorMapKind kind, double value, double lo, double hi) {
  if (std::isnan(value)) return value;
  if (kind == ColorMapKind::Diverging) {
    const double m = std::max(std::abs(lo), std::abs(hi));
    return m > 0 ? 0.5 + 0.5 * value / m : 0.5;
  }
  return hi > lo ? (value - lo) / (hi - lo) : 0.5;
}

} // namespace chrysalis::ui
