#include "engine/log_probs.h"
#include "engine/vector_clones.h"
#include "engine/vector_exp.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace chrysalis::engine {

namespace {

// log sum_j e^row[j], with eight partial sums so the loops vectorize; the
// partial sums meet in double.
CHRYSALIS_VECTOR_CLONES
double logSumExp(const float* row, int64_t V) {
  constexpr float kLowest = -std::numeric_limits<float>::infinity();
  float most[8] = {kLowest, kLowest, kLowest, kLowest, kLowest, kLowest, kLowest, kLowest};
  int64_t i = 0;
  for (; i + 8 <= V; i += 8)
    for (int u = 0; u < 8; ++u)
      most[u] = std::max(most[u], row[i + u]);
  float top = kLowest;
  for (; i < V; ++i)
    top = std::max(top, row[i]);
  for (float m : most)
    top = std::max(top, m);
  // Every logit -inf gives -inf; a +inf logit makes the row NaN, as
  // log_softmax does (inf - inf); NaN stays NaN.
  if (std::isinf(top) && top > 0) return std::nan("");
  if (!std::isfinite(top)) return static_cast<double>(top);
  float part[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t j = 0;
  for (; j + 8 <= V; j += 8)
    for (int u = 0; u < 8; ++u)
      part[u] += expNonPositive(row[j + u] - top);
  double sum = 0;
  for (; j < V; ++j)
    sum += static_cast<double>(expNonPositive(row[j] - top));
  for (float p : part)
    sum += static_cast<double>(p);
  return static_cast<double>(top) + std::log(sum);
}

} // namespace

at::Tensor targetLogProbs(const at::Tensor& logits, const at::Tensor& targets) {
  TORCH_CHECK(logits.dim() == 2 && targets.dim() == 1 && targets.size(0) == logits.size(0),
              "targetLogProbs: logits [N, V] and targets [N]");
  if (!logits.device().is_cpu() || logits.scalar_type() != at::kFloat)
    return at::log_softmax(logits, -1).gather(1, targets.unsqueeze(1)).squeeze(1);
  const auto rows = logits.contiguous();
  const auto index = targets.to(at::kLong).contiguous();
  const int64_t N = rows.size(0), V = rows.size(1);
  const float* x = rows.data_ptr<float>();
  const int64_t* t = index.data_ptr<int64_t>();
  for (int64_t n = 0; n < N; ++n)
    TORCH_CHECK(t[n] >= 0 && t[n] < V, "targetLogProbs: target ", t[n], " of row ", n,
                " is outside the vocabulary of ", V);
  auto out = at::empty({N}, rows.options());
  float* o = out.data_ptr<float>();
  at::parallel_for(0, N, 16, [&](int64_t first, int64_t last) {
    for (int64_t n = first; n < last; ++n)
      o[n] = static_cast<float>(static_cast<double>(x[n * V + t[n]]) - logSumExp(x + n * V, V));
  });
  return out;
}

} // namespace chrysalis::engine
