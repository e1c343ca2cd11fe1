#include "onset/piecewise_linear.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace chrysalis::onset {
namespace {

constexpr size_t kMaxColumns = 4;
using Vec = std::array<double, kMaxColumns>;
using Mat = std::array<Vec, kMaxColumns>;

// Solves the k x k system in place by Gaussian elimination with partial
// pivoting; false when it is (numerically) singular.
bool solve(Mat a, Vec b, size_t k, Vec& x) {
  double scale = 0.0;
  for (size_t i = 0; i < k; ++i)
    scale = std::max(scale, std::abs(a[i][i]));
  for (size_t col = 0; col < k; ++col) {
    size_t pivot = col;
    for (size_t r = col + 1; r < k; ++r) {
      if (std::abs(a[r][col]) > std::abs(a[pivot][col])) pivot = r;
    }
    if (!(std::abs(a[pivot][col]) > 1e-13 * scale)) return false;
    std::swap(a[col], a[pivot]);
    std::swap(b[col], b[pivot]);
    for (size_t r = col + 1; r < k; ++r) {
      double factor = a[r][col] / a[col][col];
      for (size_t c = col; c < k; ++c)
        a[r][c] -= factor * a[col][c];
      b[r] -= factor * b[col];
    }
  }
  for (size_t i = k; i-- > 0;) {
    double s = b[i];
    for (size_t c = i + 1; c < k; ++c)
      s -= a[i][c] * x[c];
    x[i] = s / a[i][i];
  }
  return true;
}

// Basis at u: 1, u, then one hinge (u - knot)+ per break.
size_t basis(double u, const std::vector<double>& knots, Vec& row) {
  row[0] = 1.0;
  row[1] = u;
  for (size_t j = 0; j < knots.size(); ++j)
    row[2 + j] = std::max(0.0, u - knots[j]);
  return 2 + knots.size();
}

struct Candidate {
  Vec coef{};
  double sse = 0.0;
};

// Least-squares fit with the given knots; nullopt when the system is singular.
std::optional<Candidate> fitWithKnots(const std::vector<double>& u, const std::vector<double>& y,
                                      const std::vector<double>& knots) {
  Mat ata{};
  Vec aty{};
  Vec row{};
  size_t k = 0;
  for (size_t i = 0; i < u.size(); ++i) {
    k = basis(u[i], knots, row);
    for (size_t r = 0; r < k; ++r) {
      aty[r] += row[r] * y[i];
      for (size_t c = 0; c < k; ++c)
        ata[r][c] += row[r] * row[c];
    }
  }
  Candidate out;
  if (!solve(ata, aty, k, out.coef)) return std::nullopt;
  for (size_t i = 0; i < u.size(); ++i) {
    basis(u[i], knots, row);
    double fit = 0.0;
    for (size_t c = 0; c < k; ++c)
      fit += out.coef[c] * row[c];
    out.sse += (y[i] - fit) * (y[i] - fit);
  }
  return out;
}

} // namespace

std::optional<PiecewiseLinearFit> fitPiecewiseLinear(const Curve& curve, int segments, Axis axis) {
  if (segments != 2 && segments != 3) {
    throw std::invalid_argument("piecewise-linear fit: segments must be 2 or 3, got " +
                                std::to_string(segments));
  }
  std::vector<size_t> kept = curve.presentIndices();
  size_t n = kept.size();
  size_t breaks = static_cast<size_t>(segments - 1);
  if (n < breaks + 2) return std::nullopt;

  // Work on u in [0, 1] so the normal equations stay well conditioned with
  // steps in the millions.
  std::vector<double> x;
  std::vector<double> y;
  for (size_t i : kept) {
    x.push_back(axisPosition(static_cast<double>(curve.steps()[i]), axis));
    y.push_back(curve.values()[i]);
  }
  double span = x.back() - x.front();
  std::vector<double> u;
  for (double xi : x)
    u.push_back((xi - x.front()) / span);
  auto [yMin, yMax] = std::minmax_element(y.begin(), y.end());
  // An upturn smaller than this is rounding noise on a straight line.
  double minUpturn = 1e-9 * (*yMax - *yMin);
  if (!(minUpturn > 0)) return std::nullopt;

  std::optional<Candidate> best;
  std::vector<size_t> bestBreaks;
  auto consider = [&](const std::vector<size_t>& at) {
    std::vector<double> knots;
    for (size_t b : at)
      knots.push_back(u[b]);
    std::optional<Candidate> c = fitWithKnots(u, y, knots);
    if (!c || !(c->coef[2] > minUpturn)) return;
    if (!best || c->sse < best->sse) {
      best = c;
      bestBreaks = at;
    }
  };
  for (size_t t1 = 1; t1 + 1 < n; ++t1) {
    if (breaks == 1) {
      consider({t1});
      continue;
    }
    for (size_t t2 = t1 + 1; t2 + 1 < n; ++t2)
      consider({t1, t2});
  }
  if (!best) return std::nullopt;

  PiecewiseLinearFit fit;
  fit.sse = best->sse;
  double slope = best->coef[1];
  fit.slopes.push_back(slope / span);
  std::vector<double> knots;
  for (size_t j = 0; j < bestBreaks.size(); ++j) {
    fit.breakIndices.push_back(kept[bestBreaks[j]]);
    fit.breakSteps.push_back(curve.steps()[kept[bestBreaks[j]]]);
    knots.push_back(u[bestBreaks[j]]);
    slope += best->coef[2 + j];
    fit.slopes.push_back(slope / span);
  }
  fit.fitted.assign(curve.size(), std::numeric_limits<double>::quiet_NaN());
  Vec row{};
  for (size_t i = 0; i < n; ++i) {
    size_t k = basis(u[i], knots, row);
    double v = 0.0;
    for (size_t c = 0; c < k; ++c)
      v += best->coef[c] * row[c];
    fit.fitted[kept[i]] = v;
  }
  return fit;
}

} // namespace chrysalis::onset
