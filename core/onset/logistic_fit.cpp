#include "onset/logistic_fit.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace chrysalis::onset {
namespace {

// ln(2 + sqrt 3): the logistic's f'' peaks this many widths before its centre.
const double kTurnOffset = std::log(2.0 + std::sqrt(3.0));

double logistic(double u) {
  return 1.0 / (1.0 + std::exp(-u));
}

struct Points {
  std::vector<double> x, y;
  double sumY = 0, sumYY = 0; // y centred: sumYY is the constant fit's sse
};

Points points(const std::vector<double>& x, const std::vector<double>& y) {
  Points p{x, y};
  for (double v : y)
    p.sumY += v;
  const double mean = p.sumY / static_cast<double>(y.size());
  for (double v : y)
    p.sumYY += (v - mean) * (v - mean);
  return p;
}

// Which amplitudes a family allows: a rise needs one > 0; the fits without an
// interior upward turn take either sign (falling curves are among them).
enum class Sign { Rising, Any };

// Least squares for base and amplitude of base + amplitude * z(x); a fit the
// sign rule forbids is the constant fit.
template <class Z> LogisticRise fitBasis(const Points& p, Sign sign, Z&& z, LogisticRise f) {
  const double n = static_cast<double>(p.x.size());
  double sz = 0, szz = 0, szy = 0;
  for (size_t i = 0; i < p.x.size(); ++i) {
    const double zi = z(p.x[i]);
    sz += zi;
    szz += zi * zi;
    szy += zi * p.y[i];
  }
  const double varZ = szz - sz * sz / n;
  const double covZY = szy - sz * p.sumY / n;
  if (varZ > 1e-12 * n && (covZY > 0 || sign == Sign::Any)) {
    f.amplitude = covZY / varZ;
    f.base = (p.sumY - f.amplitude * sz) / n;
    f.sse = std::max(0.0, p.sumYY - covZY * covZY / varZ);
  } else {
    f.amplitude = 0;
    f.base = p.sumY / n;
    f.sse = p.sumYY;
  }
  return f;
}

LogisticRise fitAt(const Points& p, Axis axis, double turn, double width,
                   Sign sign = Sign::Rising) {
  LogisticRise f;
  f.axis = axis;
  f.width = width;
  f.centre = turn + kTurnOffset * width;
  return fitBasis(
      p, sign, [&](double x) { return logistic((x - f.centre) / width); }, f);
}

// base + amplitude * exp(-(x - x0) / tau), either sign: saturating rises and
// decays, which a logistic turning before the first checkpoint only
// approximates.
LogisticRise bestExponential(const Points& p, Axis axis) {
  const double span = p.x.back() - p.x.front(), x0 = p.x.front();
  LogisticRise best;
  best.sse = std::numeric_limits<double>::infinity();
  for (int k = 0; k < 64; ++k) {
    const double tau = span * 1e-3 * std::pow(1e4, k / 63.0);
    LogisticRise f;
    f.axis = axis;
    f.width = tau;
    f = fitBasis(
        p, Sign::Any, [&](double x) { return std::exp(-(x - x0) / tau); }, f);
    if (f.sse < best.sse) best = f;
  }
  return best;
}

// Turns allowed for one family of fits: [lo, hi] on the axis.
struct Range {
  double lo, hi;
};

// Grid search over turns and widths, then a shrinking pattern search around
// the best, both kept within `range`.
LogisticRise bestFit(const Points& p, Axis axis, const std::vector<double>& turns, Range range,
                     Sign sign) {
  const double span = p.x.back() - p.x.front();
  double minGap = span;
  for (size_t i = 1; i < p.x.size(); ++i)
    minGap = std::min(minGap, p.x[i] - p.x[i - 1]);
  const double wMin = std::max(minGap / 8, span * 1e-6), wMax = 2 * span;
  constexpr int kWidths = 24;
  LogisticRise best;
  best.sse = std::numeric_limits<double>::infinity();
  for (double t : turns) {
    for (int k = 0; k < kWidths; ++k) {
      const double w = wMin * std::pow(wMax / wMin, k / double(kWidths - 1));
      LogisticRise f = fitAt(p, axis, t, w, sign);
      if (f.sse < best.sse) best = f;
    }
  }
  double turn = best.centre - kTurnOffset * best.width, logW = std::log(best.width);
  double stepT = span / static_cast<double>(4 * p.x.size()), stepW = 0.25;
  for (int round = 0; round < 40 && stepT > span * 1e-9; ++round) {
    bool moved = false;
    for (auto [dt, dw] : {std::pair{1, 0}, {-1, 0}, {0, 1}, {0, -1}}) {
      const double t = std::clamp(turn + dt * stepT, range.lo, range.hi);
      const double lw = logW + dw * stepW;
      LogisticRise f = fitAt(p, axis, t, std::exp(lw), sign);
      if (f.sse < best.sse) {
        best = f;
        turn = t;
        logW = lw;
        moved = true;
      }
    }
    if (!moved) {
      stepT /= 2;
      stepW /= 2;
    }
  }
  return best;
}

struct AxisFits {
  LogisticRise rise;
  double nullSse = 0;
};

AxisFits fitAxis(const Curve& curve, Axis axis) {
  const std::vector<double> x = axisPositions(curve.steps(), axis);
  const Points p = points(x, curve.values());
  const size_t n = x.size();
  const double span = x.back() - x.front();
  // Interior turns: from the second to the next-to-last checkpoint, four
  // candidates per grid interval.
  std::vector<double> inside;
  for (size_t i = 1; i + 2 < n; ++i)
    for (int j = 0; j < 4; ++j)
      inside.push_back(x[i] + (x[i + 1] - x[i]) * j / 4.0);
  inside.push_back(x[n - 2]);
  // Without an interior turn: turning at or before the first checkpoint
  // (rising and saturating, or flat), or at or after the last (still convex).
  std::vector<double> before, after;
  for (double f : {0.0, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0}) {
    before.push_back(x.front() - f * span);
    after.push_back(x.back() + f * span);
  }
  const double far = 1e6 * (span + 1);
  AxisFits out;
  out.rise = bestFit(p, axis, inside, {x[1], x[n - 2]}, Sign::Rising);
  out.nullSse = std::min({bestExponential(p, axis).sse,
                          bestFit(p, axis, before, {x.front() - far, x.front()}, Sign::Any).sse,
                          bestFit(p, axis, after, {x.back(), x.back() + far}, Sign::Any).sse});
  return out;
}

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

} // namespace

double LogisticRise::operator()(double x) const {
  return base + amplitude * logistic((x - centre) / width);
}

double LogisticRise::turn() const {
  return centre - kTurnOffset * width;
}

LogisticTest testLogisticRise(const Curve& curve, const LogisticTestOptions& options) {
  LogisticTest out;
  const size_t n = curve.size();
  if (n < 5) {
    out.reason = "too few checkpoints (" + std::to_string(n) + "; 5 needed)";
    return out;
  }
  const auto [lo, hi] = std::minmax_element(curve.values().begin(), curve.values().end());
  const double range = *hi - *lo;
  if (!(range > 0)) {
    out.reason = "flat: the curve does not change";
    return out;
  }
  AxisFits step = fitAxis(curve, Axis::Step), logStep = fitAxis(curve, Axis::LogStep);
  const AxisFits& fits = step.rise.sse <= logStep.rise.sse ? step : logStep;
  out.rise = fits.rise;
  out.nullSse = std::min(step.nullSse, logStep.nullSse);

  // Noise = the residual of the better description. Where the null fits
  // better the improvement is 0 either way; this keeps a falling curve (which
  // a rising logistic fits badly) from reading as "flat within noise".
  out.noise = std::max(std::sqrt(std::min(out.rise->sse, out.nullSse) / static_cast<double>(n - 4)),
                       options.noiseFloor * range);
  const double var = out.noise * out.noise;
  out.improvement = std::max(0.0, out.nullSse - out.rise->sse) / var;
  const double xEnd = axisPosition(static_cast<double>(curve.steps().back()), out.rise->axis);
  const double riseAfterTurn = (*out.rise)(xEnd) - (*out.rise)(out.rise->turn());
  out.riseInNoise = riseAfterTurn / out.noise;
  out.significant = out.rise->amplitude > 0 && out.improvement >= options.minImprovement &&
                    out.riseInNoise >= options.minRiseInNoise;
  if (out.significant) return out;

  // Say what the curve does instead.
  const std::vector<double>& v = curve.values();
  const size_t third = std::max<size_t>(1, n / 3);
  double head = 0, middle = 0, tail = 0;
  for (size_t i = 0; i < third; ++i) {
    head += v[i] / static_cast<double>(third);
    middle += v[n / 2 - third / 2 + i] / static_cast<double>(third);
    tail += v[n - 1 - i] / static_cast<double>(third);
  }
  std::string shape;
  if (tail - head < -2 * out.noise)
    shape = "falls";
  else if (tail - head < 2 * out.noise)
    shape = "flat within noise";
  else if (middle - head > tail - middle)
    shape = "rises from the start and levels off";
  else
    shape = "rises without a clear turn";
  if (out.riseInNoise < options.minRiseInNoise && out.improvement >= options.minImprovement)
    out.reason = shape + "; the rise after the turn is " + fixed(out.riseInNoise, 1) +
                 " noise sds (" + fixed(options.minRiseInNoise, 0) + " needed)";
  else
    out.reason = shape + "; an upward turn explains " + fixed(out.improvement, 1) +
                 " noise variances (" + fixed(options.minImprovement, 0) + " needed)";
  return out;
}

} // namespace chrysalis::onset
