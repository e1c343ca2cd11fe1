#include "engine/layer_norm.h"
#include "engine/vector_clones.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <cmath>
#include <cstring>

namespace chrysalis::engine {

namespace {

using Vec8 = float __attribute__((vector_size(32)));

[[gnu::always_inline]] inline float laneSum(const Vec8& v) {
  return ((v[0] + v[4]) + (v[1] + v[5])) + ((v[2] + v[6]) + (v[3] + v[7]));
}

// sum_d f(row[d] - centre), f the identity or the square; the lanes keep
// their own sums when D is a multiple of 8, else one value at a time.
template <bool Squared>
[[gnu::always_inline]] inline float centredSum(const float* row, int64_t D, float centre) {
  if (D % 8 == 0) {
    Vec8 s = {};
    for (int64_t d = 0; d < D; d += 8) {
      Vec8 v;
      std::memcpy(&v, row + d, sizeof v);
      v -= centre;
      s += Squared ? v * v : v;
    }
    return laneSum(s);
  }
  float s = 0;
  for (int64_t d = 0; d < D; ++d) {
    const float v = row[d] - centre;
    s += Squared ? v * v : v;
  }
  return s;
}

// Rows first .. last-1 of y [*, D].
CHRYSALIS_VECTOR_CLONES
void normalizeRows(float* y, int64_t D, const float* w, const float* b, float eps, int64_t first,
                   int64_t last) {
  for (int64_t n = first; n < last; ++n) {
    float* row = y + n * D;
    // Summed relative to the row's first value: rows far from zero (the
    // residual stream can sit at hundreds) then lose no digits to the sum.
    const float shift = D > 0 ? row[0] : 0.0f;
    const float mean = shift + centredSum<false>(row, D, shift) / static_cast<float>(D);
    const float variance = centredSum<true>(row, D, mean) / static_cast<float>(D);
    const float inverse = 1.0f / std::sqrt(variance + eps);
    for (int64_t d = 0; d < D; ++d)
      row[d] = (row[d] - mean) * (inverse * w[d]) + b[d];
  }
}

} // namespace

bool layerNormRowsApplies(const at::Tensor& y, const at::Tensor& weight, const at::Tensor& bias) {
  return y.defined() && weight.defined() && bias.defined() && y.device().is_cpu() &&
         y.scalar_type() == at::kFloat && y.is_contiguous() && y.dim() >= 1 &&
         weight.scalar_type() == at::kFloat && bias.scalar_type() == at::kFloat &&
         weight.is_contiguous() && bias.is_contiguous() && weight.numel() == y.size(-1) &&
         bias.numel() == y.size(-1);
}

void layerNormRowsInPlace(at::Tensor& y, const at::Tensor& weight, const at::Tensor& bias,
                          double eps) {
  TORCH_CHECK(layerNormRowsApplies(y, weight, bias),
              "layer norm: y must be contiguous CPU float [..., D] with float weight and bias [D]");
  const int64_t D = y.size(-1), N = D > 0 ? y.numel() / D : 0;
  float* data = y.data_ptr<float>();
  const float* w = weight.data_ptr<float>();
  const float* b = bias.data_ptr<float>();
  at::parallel_for(0, N, std::max<int64_t>(1, 32768 / std::max<int64_t>(1, D)),
                   [&](int64_t first, int64_t last) {
                     normalizeRows(data, D, w, b, static_cast<float>(eps), first, last);
                   });
}

} // namespace chrysalis::engine
