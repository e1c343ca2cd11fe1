#include "engine/small_attention.h"
#include "engine/vector_clones.h"
#include "engine/vector_exp.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace chrysalis::engine {

namespace {

// The loops below are written to vectorize (engine/vector_clones.h).

// Where one attention problem's operands are. Query row i of group g is at
// q + g*qGroup + i*qRow; key (value) j of the group's batch row b at
// k (v) + b*kvGroup + j*kvRow, b = batchOf[g] (or g); head h adds h*dh.
struct Operands {
  const float* q = nullptr;
  int64_t qGroup = 0, qRow = 0;
  const float* k = nullptr;
  const float* v = nullptr;
  int64_t kvGroup = 0, kvRow = 0;
  const int64_t* batchOf = nullptr;
  const float* mask = nullptr; // [B, T] additive, or null
  int64_t Tq = 0, T = 0, H = 0, dh = 0;
  float scale = 1.0f;
  int64_t batch(int64_t g) const { return batchOf ? batchOf[g] : g; }
};

// probs[g,h,i,:] = softmax_j(scale * q(g,i,h) . k(g,j,h) + mask[b,j]), for
// the (g, h) pairs first .. last-1 (flattened g*H + h); each row is scored,
// exponentiated and normalised while it is in the L1 cache.
CHRYSALIS_VECTOR_CLONES
void probsKernel(const Operands& o, float* probs, int64_t first, int64_t last) {
  const int64_t dh = o.dh;
  for (int64_t gh = first; gh < last; ++gh) {
    const int64_t g = gh / o.H, h = gh % o.H, b = o.batch(g);
    const float* kBase = o.k + b * o.kvGroup + h * dh;
    const float* mask = o.mask ? o.mask + b * o.T : nullptr;
    for (int64_t i = 0; i < o.Tq; ++i) {
      const float* q = o.q + g * o.qGroup + i * o.qRow + h * dh;
      float* row = probs + (gh * o.Tq + i) * o.T;
      float top = -std::numeric_limits<float>::infinity();
      for (int64_t j = 0; j < o.T; ++j) {
        const float* k = kBase + j * o.kvRow;
        // Eight partial sums, so the dot product vectorizes without
        // reassociating one running sum.
        float part[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        int64_t d = 0;
        for (; d + 8 <= dh; d += 8)
          for (int u = 0; u < 8; ++u)
            part[u] += q[d + u] * k[d + u];
        float dot = ((part[0] + part[4]) + (part[1] + part[5])) +
                    ((part[2] + part[6]) + (part[3] + part[7]));
        for (; d < dh; ++d)
          dot += q[d] * k[d];
        row[j] = dot * o.scale + (mask ? mask[j] : 0.0f);
        top = std::max(top, row[j]);
      }
      float sum = 0;
      for (int64_t j = 0; j < o.T; ++j) {
        row[j] = expNonPositive(row[j] - top);
        sum += row[j];
      }
      const float inverse = 1.0f / sum;
      for (int64_t j = 0; j < o.T; ++j)
        row[j] *= inverse;
    }
  }
}

// out(g,i,h) = sum_j probs[g,h,i,j] * v(g,j,h), written at
// out + (g*Tq + i)*outRow + h*dh.
CHRYSALIS_VECTOR_CLONES
void valuesKernel(const Operands& o, const float* probs, float* out, int64_t outRow, int64_t first,
                  int64_t last) {
  const int64_t dh = o.dh;
  for (int64_t gh = first; gh < last; ++gh) {
    const int64_t g = gh / o.H, h = gh % o.H, b = o.batch(g);
    const float* vBase = o.v + b * o.kvGroup + h * dh;
    for (int64_t i = 0; i < o.Tq; ++i) {
      const float* p = probs + (gh * o.Tq + i) * o.T;
      float* c = out + (g * o.Tq + i) * outRow + h * dh;
      std::fill(c, c + dh, 0.0f);
      for (int64_t j = 0; j < o.T; ++j) {
        const float pj = p[j];
        const float* v = vBase + j * o.kvRow;
        for (int64_t d = 0; d < dh; ++d)
          c[d] += pj * v[d];
      }
    }
  }
}

// The probabilities, then the weighted values into out [G*Tq, D].
at::Tensor attend(const Operands& o, int64_t G, const at::TensorOptions& options,
                  at::Tensor* probsOut) {
  auto probs = at::empty({G, o.H, o.Tq, o.T}, options);
  const int64_t grain = std::max<int64_t>(1, 4096 / std::max<int64_t>(1, o.Tq * o.T));
  float* s = probs.data_ptr<float>();
  at::parallel_for(0, G * o.H, grain,
                   [&](int64_t first, int64_t last) { probsKernel(o, s, first, last); });
  const int64_t D = o.H * o.dh;
  auto out = at::empty({G, o.Tq, D}, options);
  const float* p = probs.data_ptr<float>();
  float* c = out.data_ptr<float>();
  at::parallel_for(0, G * o.H, grain,
                   [&](int64_t first, int64_t last) { valuesKernel(o, p, c, D, first, last); });
  if (probsOut) *probsOut = probs;
  return out;
}

const float* maskRows(const at::Tensor& additiveMask, int64_t B, int64_t T) {
  if (!additiveMask.defined()) return nullptr;
  TORCH_CHECK(additiveMask.scalar_type() == at::kFloat && additiveMask.is_contiguous() &&
                  additiveMask.numel() == B * T,
              "small attention: the additive mask must be float [B,1,1,T], contiguous");
  return additiveMask.data_ptr<float>();
}

} // namespace

at::Tensor smallAttention(const at::Tensor& qkv, const at::Tensor& additiveMask, int64_t heads,
                          at::Tensor* probsOut) {
  TORCH_CHECK(qkv.dim() == 3 && qkv.scalar_type() == at::kFloat && qkv.is_contiguous() &&
                  qkv.device().is_cpu() && qkv.size(2) % (3 * heads) == 0,
              "small attention: qkv must be a contiguous CPU float [B,T,3D]");
  const int64_t B = qkv.size(0), T = qkv.size(1), D = qkv.size(2) / 3;
  Operands o;
  o.Tq = T;
  o.T = T;
  o.H = heads;
  o.dh = D / heads;
  o.scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(o.dh)));
  o.q = qkv.data_ptr<float>();
  o.k = o.q + D;
  o.v = o.q + 2 * D;
  o.qGroup = o.kvGroup = T * 3 * D;
  o.qRow = o.kvRow = 3 * D;
  o.mask = maskRows(additiveMask, B, T);
  return attend(o, B, qkv.options(), probsOut);
}

at::Tensor smallAttentionRows(const at::Tensor& queries, const at::Tensor& kv,
                              const at::Tensor& batchOf, const at::Tensor& additiveMask,
                              int64_t heads) {
  TORCH_CHECK(kv.dim() == 3 && kv.scalar_type() == at::kFloat && kv.is_contiguous() &&
                  kv.device().is_cpu() && kv.size(2) % (2 * heads) == 0,
              "small attention: kv must be a contiguous CPU float [B,T,2D]");
  const int64_t B = kv.size(0), T = kv.size(1), D = kv.size(2) / 2, N = queries.size(0);
  TORCH_CHECK(queries.dim() == 2 && queries.size(1) == D && queries.is_contiguous() &&
                  queries.scalar_type() == at::kFloat && batchOf.numel() == N &&
                  batchOf.scalar_type() == at::kLong && batchOf.is_contiguous(),
              "small attention: queries must be contiguous float [N,D] with int64 batchOf [N]");
  Operands o;
  o.Tq = 1;
  o.T = T;
  o.H = heads;
  o.dh = D / heads;
  o.scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(o.dh)));
  o.q = queries.data_ptr<float>();
  o.qGroup = D;
  o.k = kv.data_ptr<float>();
  o.v = o.k + D;
  o.kvGroup = T * 2 * D;
  o.kvRow = 2 * D;
  o.batchOf = batchOf.data_ptr<int64_t>();
  for (int64_t n = 0; n < N; ++n)
    TORCH_CHECK(o.batchOf[n] >= 0 && o.batchOf[n] < B, "small attention: query ", n,
                " refers to batch row ", o.batchOf[n], " of ", B);
  o.mask = maskRows(additiveMask, B, T);
  return attend(o, N, kv.options(), nullptr).view({N, D});
}

} // namespace chrysalis::engine
