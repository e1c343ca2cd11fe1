#include "probes/attention_shape.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace chrysalis::probes {

AttentionShapeAccumulator::AttentionShapeAccumulator(int64_t layers, int64_t heads)
    : m_layers(layers), m_heads(heads), m_distanceSum(static_cast<size_t>(layers * heads), 0.0),
      m_entropySum(static_cast<size_t>(layers * heads), 0.0),
      m_sinkSum(static_cast<size_t>(layers * heads), 0.0),
      m_fullEntropySum(static_cast<size_t>(layers * heads), 0.0) {}

void AttentionShapeAccumulator::addPieceMaps(const float* attention, size_t T) {
  if (T < 3) return;
  for (size_t h = 0; h < m_sinkSum.size(); ++h) {
    const float* a = attention + h * T * T;
    for (size_t p = 1; p + 1 < T; ++p) {
      const float* row = a + p * T;
      m_sinkSum[h] += static_cast<double>(row[0]) + static_cast<double>(row[T - 1]);
      double entropy = 0;
      for (size_t t = 0; t < T; ++t)
        if (row[t] > 0)
          entropy -= static_cast<double>(row[t]) * std::log(static_cast<double>(row[t]));
      m_fullEntropySum[h] += entropy;
    }
  }
  m_contentRows += static_cast<double>(T - 2);
}

void AttentionShapeAccumulator::addWordMaps(const float* maps, size_t W) {
  const size_t n = W - 2;
  if (n == 0) return;
  for (size_t h = 0; h < m_distanceSum.size(); ++h) {
    const float* m = maps + h * W * W;
    for (size_t i = 1; i <= n; ++i) {
      double mass = 0, dist = 0;
      for (size_t j = 1; j <= n; ++j) {
        mass += m[i * W + j];
        dist += m[i * W + j] * std::abs(static_cast<double>(i) - static_cast<double>(j));
      }
      if (mass > 0) m_distanceSum[h] += dist / mass;
    }
  }
  m_words += static_cast<double>(n);
}

void AttentionShapeAccumulator::addEntropy(const std::vector<double>& entropySums, double rows) {
  for (size_t h = 0; h < m_entropySum.size(); ++h)
    m_entropySum[h] += entropySums.at(h);
  m_rows += rows;
}

format::ProbeResult AttentionShapeAccumulator::finish() const {
  format::ProbeResult r;
  format::NumericArray entropy{{m_layers, m_heads}, {}}, distance{{m_layers, m_heads}, {}};
  format::NumericArray sink{{m_layers, m_heads}, {}}, fullEntropy{{m_layers, m_heads}, {}};
  double e = 0, d = 0, s = 0, f = 0;
  auto mean = [](double sum, double n) { return n > 0 ? sum / n : std::nan(""); };
  for (size_t h = 0; h < m_entropySum.size(); ++h) {
    entropy.values.push_back(mean(m_entropySum[h], m_rows));
    distance.values.push_back(mean(m_distanceSum[h], m_words));
    sink.values.push_back(mean(m_sinkSum[h], m_contentRows));
    fullEntropy.values.push_back(mean(m_fullEntropySum[h], m_contentRows));
    e += entropy.values.back();
    d += distance.values.back();
    s += sink.values.back();
    f += fullEntropy.values.back();
  }
  const double H = static_cast<double>(m_entropySum.size());
  r.scalars["attn_entropy"] = e / H;
  r.scalars["attn_distance"] = d / H;
  r.arrays["attn/entropy"] = std::move(entropy);
  r.arrays["attn/distance"] = std::move(distance);
  if (m_contentRows > 0) {
    r.scalars["attn_sink_share"] = s / H;
    r.scalars["attn_entropy_full"] = f / H;
    r.arrays["attn/sink_share"] = std::move(sink);
    r.arrays["attn/entropy_full"] = std::move(fullEntropy);
  }
  return r;
}

TwoNnResult twoNnFromDistances(const std::vector<double>& r1, const std::vector<double>& r2) {
  std::vector<double> mu;
  for (size_t i = 0; i < r1.size(); ++i)
    if (r1[i] > 0 && r1[i] != r2[i]) mu.push_back(r2[i] / r1[i]);
  std::sort(mu.begin(), mu.end());
  TwoNnResult res;
  res.used = mu.size();
  const size_t N = mu.size();
  const size_t fit = static_cast<size_t>(std::floor(0.9 * static_cast<double>(N)));
  if (fit < 2) {
    res.id = res.r = std::numeric_limits<double>::quiet_NaN();
    return res;
  }
  double sxy = 0, sxx = 0, sx = 0, sy = 0, syy = 0;
  for (size_t i = 0; i < fit; ++i) {
    const double F = static_cast<double>(i + 1) / static_cast<double>(N);
    const double x = std::log(mu[i]), y = -std::log(1.0 - F);
    sxy += x * y;
    sxx += x * x;
    sx += x;
    sy += y;
    syy += y * y;
  }
  const double k = static_cast<double>(fit);
  res.id = sxy / sxx;
  const double cov = sxy - sx * sy / k, vx = sxx - sx * sx / k, vy = syy - sy * sy / k;
  res.r = cov / std::sqrt(vx * vy);
  return res;
}

} // namespace chrysalis::probes
