#include "probes/attention_shape.h"

#include <torch/torch.h>

namespace chrysalis::probes {

TwoNnResult twoNn(const float* data, int64_t n, int64_t d) {
  if (n < 3) return twoNnFromDistances({}, {});
  torch::InferenceMode inference;
  auto x = torch::from_blob(const_cast<float*>(data), {n, d}, torch::kFloat).to(torch::kDouble);
  // Squared distances from one GEMM: |a|^2 + |b|^2 - 2 a.b (clamped at 0).
  auto sq = x.pow(2).sum(1);
  auto d2 = (sq.unsqueeze(1) + sq.unsqueeze(0) - 2.0 * x.matmul(x.t())).clamp_min(0.0);
  d2.fill_diagonal_(std::numeric_limits<double>::infinity());
  auto nearest = std::get<0>(d2.topk(2, 1, /*largest=*/false, /*sorted=*/true)).sqrt().contiguous();
  auto acc = nearest.accessor<double, 2>();
  std::vector<double> r1(static_cast<size_t>(n)), r2(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    r1[static_cast<size_t>(i)] = acc[i][0];
    r2[static_cast<size_t>(i)] = acc[i][1];
  }
  return twoNnFromDistances(r1, r2);
}

} // namespace chrysalis::probes
