#include "engine/small_attention.h"
#include "engine/vector_clones.h"
#include "engine/vector_exp.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

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

// The kernel works on kRows query rows at a time, so that the products keep
// kRows x kBlock independent sums in registers (one chain of fused
// multiply-adds would wait on its own latency): the scores against the keys
// transposed into kt[d][j] vectorize across keys, the weighted values
// across columns. One (g, h) pair's keys and values are a few KiB at the
// lengths the kernels are used for (T x dh, T <= 64), so each row is
// scored, exponentiated, normalised and applied while in L1 (over the
// inputs, dh = D: 14 x 128 floats for BLiMP on the demo model).
constexpr int64_t kBlock = 16;
constexpr int kRows = 4;

// Eight floats (one AVX register; two SSE registers in the baseline clone),
// read and written with memcpy from unaligned rows.
using Vec8 = float __attribute__((vector_size(32)));
static_assert(kBlock == 2 * 8, "a block is two Vec8");

using Lanes8 = int32_t __attribute__((vector_size(32)));

// kt[d*Tp + j] = k[j*kRow + d] for j < T, d < dh: 8 x 8 tiles transposed in
// registers (rows past T read as 0), or element by element if dh % 8 != 0.
[[gnu::always_inline]] inline void transposeKeys(const float* k, int64_t kRow, int64_t T,
                                                 int64_t dh, float* kt, int64_t Tp) {
#if defined(__GNUC__) && !defined(__clang__)
  const bool tiles = dh % 8 == 0;
#else
  const bool tiles = false; // __builtin_shuffle is GCC's
#endif
  if (!tiles) {
    for (int64_t j = 0; j < T; ++j)
      for (int64_t d = 0; d < dh; ++d)
        kt[d * Tp + j] = k[j * kRow + d];
    return;
  }
#if defined(__GNUC__) && !defined(__clang__)
  for (int64_t j0 = 0; j0 < T; j0 += 8)
    for (int64_t d0 = 0; d0 < dh; d0 += 8) {
      Vec8 r[8];
      for (int i = 0; i < 8; ++i) {
        if (j0 + i < T)
          std::memcpy(&r[i], k + (j0 + i) * kRow + d0, sizeof r[i]);
        else
          r[i] = Vec8{};
      }
      // Pairs interleaved, then quads, then the 128-bit halves swapped in.
      const Lanes8 lo = {0, 8, 1, 9, 4, 12, 5, 13}, hi = {2, 10, 3, 11, 6, 14, 7, 15};
      const Lanes8 lo2 = {0, 1, 8, 9, 4, 5, 12, 13}, hi2 = {2, 3, 10, 11, 6, 7, 14, 15};
      const Lanes8 low4 = {0, 1, 2, 3, 8, 9, 10, 11}, high4 = {4, 5, 6, 7, 12, 13, 14, 15};
      Vec8 t[8], u[8];
      for (int i = 0; i < 8; i += 2) {
        t[i] = __builtin_shuffle(r[i], r[i + 1], lo);
        t[i + 1] = __builtin_shuffle(r[i], r[i + 1], hi);
      }
      for (int i = 0; i < 8; i += 4) {
        u[i] = __builtin_shuffle(t[i], t[i + 2], lo2);
        u[i + 1] = __builtin_shuffle(t[i], t[i + 2], hi2);
        u[i + 2] = __builtin_shuffle(t[i + 1], t[i + 3], lo2);
        u[i + 3] = __builtin_shuffle(t[i + 1], t[i + 3], hi2);
      }
      for (int d = 0; d < 4; ++d) {
        const Vec8 a = __builtin_shuffle(u[d], u[d + 4], low4);
        const Vec8 b = __builtin_shuffle(u[d], u[d + 4], high4);
        std::memcpy(kt + (d0 + d) * Tp + j0, &a, sizeof a);
        std::memcpy(kt + (d0 + d + 4) * Tp + j0, &b, sizeof b);
      }
    }
#endif
}

// out[r*outRow + u] = sum_{x<n} s[r*sRow + x] * rows[x*rowStride + u] for
// R rows r and the kBlock columns u: the scores (s the queries, rows the
// transposed keys) and the weighted values (s the probabilities, rows the
// values) are both this.
template <int R>
[[gnu::always_inline]] inline void blockSums(int64_t n, const float* s, int64_t sRow,
                                             const float* rows, int64_t rowStride, float* out,
                                             int64_t outRow) {
  Vec8 acc[R][2];
  for (int r = 0; r < R; ++r)
    acc[r][0] = acc[r][1] = Vec8{}; // not "= {}", which GCC zeroes with rep stos
  for (int64_t x = 0; x < n; ++x) {
    Vec8 a, b;
    std::memcpy(&a, rows + x * rowStride, sizeof a);
    std::memcpy(&b, rows + x * rowStride + 8, sizeof b);
    for (int r = 0; r < R; ++r) {
      const float sx = s[r * sRow + x];
      acc[r][0] += sx * a;
      acc[r][1] += sx * b;
    }
  }
  for (int r = 0; r < R; ++r)
    std::memcpy(out + r * outRow, acc[r], sizeof acc[r]);
}

// Calls f(std::integral_constant<int, R>{}) with R = min(kRows, rows), so
// that R is a compile-time constant inside f: the row groups' sums then stay
// in registers.
template <class F> [[gnu::always_inline]] inline void withRowCount(int64_t rows, F&& f) {
  switch (std::min<int64_t>(kRows, rows)) {
  case 4:
    f(std::integral_constant<int, 4>{});
    break;
  case 3:
    f(std::integral_constant<int, 3>{});
    break;
  case 2:
    f(std::integral_constant<int, 2>{});
    break;
  default:
    f(std::integral_constant<int, 1>{});
    break;
  }
}

// What the kernel needs of one (g, h) pair: its keys transposed (kt, Tp
// columns), values, the mask row as a bias (-inf past T) and a scratch row
// of probabilities per query row.
struct Pair {
  const float* kt;
  const float* v;
  const float* bias;
  float* p;
  int64_t Tp;
};

// R query rows from q (rows qRow apart) to context rows at c (cRow apart),
// their probabilities to probs (rows T apart) if given.
template <int R>
[[gnu::always_inline]] inline void attendRows(const Operands& o, const Pair& pair, const float* q,
                                              float* c, int64_t cRow, float* probs) {
  const int64_t T = o.T, Tp = pair.Tp, dh = o.dh;
  for (int64_t j0 = 0; j0 < Tp; j0 += kBlock)
    blockSums<R>(dh, q, o.qRow, pair.kt + j0, Tp, pair.p + j0, Tp);
  // Over all Tp columns, the padding's -inf giving 0, eight lanes at a
  // time: the maximum and the sum kept per lane (a single running sum would
  // not vectorize, as float addition does not reassociate).
  for (int r = 0; r < R; ++r) {
    float* row = pair.p + r * Tp;
    Vec8 top8 = Vec8{} - std::numeric_limits<float>::infinity();
    for (int64_t j = 0; j < Tp; j += 8) {
      Vec8 v, b;
      std::memcpy(&v, row + j, sizeof v);
      std::memcpy(&b, pair.bias + j, sizeof b);
      v = v * o.scale + b;
      std::memcpy(row + j, &v, sizeof v);
      top8 = v > top8 ? v : top8;
    }
    float top = top8[0];
    for (int u = 1; u < 8; ++u)
      top = std::max(top, top8[u]);
    for (int64_t j = 0; j < Tp; ++j)
      row[j] = expNonPositive(row[j] - top);
    Vec8 sum8 = {};
    for (int64_t j = 0; j < Tp; j += 8) {
      Vec8 e;
      std::memcpy(&e, row + j, sizeof e);
      sum8 += e;
    }
    const float inverse = 1.0f / (((sum8[0] + sum8[4]) + (sum8[1] + sum8[5])) +
                                  ((sum8[2] + sum8[6]) + (sum8[3] + sum8[7])));
    for (int64_t j = 0; j < Tp; ++j)
      row[j] *= inverse;
    if (probs) std::copy(row, row + T, probs + r * T);
  }
  int64_t d0 = 0;
  for (; d0 + kBlock <= dh; d0 += kBlock)
    blockSums<R>(T, pair.p, Tp, pair.v + d0, o.kvRow, c + d0, cRow);
  for (; d0 < dh; ++d0)
    for (int r = 0; r < R; ++r) {
      float acc = 0;
      for (int64_t j = 0; j < T; ++j)
        acc += pair.p[r * Tp + j] * pair.v[j * o.kvRow + d0];
      c[r * cRow + d0] = acc;
    }
}

// For the (g, h) pairs first .. last-1 (flattened g*H + h): the context
// out(g,i,h) = sum_j p[g,h,i,j] * v(g,j,h), written at
// out + (g*Tq + i)*outRow + h*dh, where p[g,h,i,:] = softmax_j(scale *
// q(g,i,h) . k(g,j,h) + mask[b,j]); p goes to probs [G, H, Tq, T] if given.
CHRYSALIS_VECTOR_CLONES
void attendKernel(const Operands& o, float* probs, float* out, int64_t outRow, int64_t first,
                  int64_t last) {
  const int64_t dh = o.dh, T = o.T, Tp = (T + kBlock - 1) / kBlock * kBlock;
  std::vector<float> kt(static_cast<size_t>(dh * Tp), 0.0f); // columns T .. Tp-1 stay 0
  std::vector<float> p(static_cast<size_t>(kRows * Tp));
  // The additive mask, then -inf for the padding columns T .. Tp-1.
  std::vector<float> bias(static_cast<size_t>(Tp), -std::numeric_limits<float>::infinity());
  const Pair pair{kt.data(), nullptr, bias.data(), p.data(), Tp};
  for (int64_t gh = first; gh < last; ++gh) {
    const int64_t g = gh / o.H, h = gh % o.H, b = o.batch(g);
    Pair at = pair;
    at.v = o.v + b * o.kvGroup + h * dh;
    transposeKeys(o.k + b * o.kvGroup + h * dh, o.kvRow, T, dh, kt.data(), Tp);
    const float* mask = o.mask ? o.mask + b * o.T : nullptr;
    for (int64_t j = 0; j < T; ++j)
      bias[static_cast<size_t>(j)] = mask ? mask[j] : 0.0f;
    for (int64_t i0 = 0; i0 < o.Tq; i0 += kRows) {
      const float* q = o.q + g * o.qGroup + i0 * o.qRow + h * dh;
      float* c = out + (g * o.Tq + i0) * outRow + h * dh;
      float* pr = probs ? probs + (gh * o.Tq + i0) * T : nullptr;
      withRowCount(
          o.Tq - i0, [&](auto R) __attribute__((always_inline)) {
            attendRows<R>(o, at, q, c, outRow, pr);
          });
    }
  }
}

// The context into out [G*Tq, D], the probabilities to probsOut if given.
at::Tensor attend(const Operands& o, int64_t G, const at::TensorOptions& options,
                  at::Tensor* probsOut) {
  at::Tensor probs;
  if (probsOut) probs = at::empty({G, o.H, o.Tq, o.T}, options);
  const int64_t grain = std::max<int64_t>(1, 4096 / std::max<int64_t>(1, o.Tq * o.T));
  const int64_t D = o.H * o.dh;
  auto out = at::empty({G, o.Tq, D}, options);
  float* s = probsOut ? probs.data_ptr<float>() : nullptr;
  float* c = out.data_ptr<float>();
  at::parallel_for(0, G * o.H, grain,
                   [&](int64_t first, int64_t last) { attendKernel(o, s, c, D, first, last); });
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

const int64_t* checkedBatchRows(const at::Tensor& batchOf, int64_t N, int64_t B) {
  TORCH_CHECK(batchOf.numel() == N && batchOf.scalar_type() == at::kLong && batchOf.is_contiguous(),
              "small attention: batchOf must be contiguous int64 [N]");
  const int64_t* rows = batchOf.data_ptr<int64_t>();
  for (int64_t n = 0; n < N; ++n)
    TORCH_CHECK(rows[n] >= 0 && rows[n] < B, "small attention: query ", n, " refers to batch row ",
                rows[n], " of ", B);
  return rows;
}

// out[n*outRow + c] = sum_{x<K} s[n*sRow + x] * m[x*mRow + c] for rows
// n < N and columns c < C: a small product without BLAS, whose rounding
// does not depend on its thread count (OpenBLAS's does at some shapes, and
// lanes must not change results). Rows in groups of kRows, columns in
// blocks of kBlock, the remainder one at a time.
CHRYSALIS_VECTOR_CLONES
void rowProducts(int64_t N, int64_t K, int64_t C, const float* s, int64_t sRow, const float* m,
                 int64_t mRow, float* out, int64_t outRow, int64_t first, int64_t last) {
  for (int64_t n0 = first * kRows; n0 < std::min(N, last * kRows); n0 += kRows) {
    const auto R = std::min<int64_t>(kRows, N - n0);
    const float* sn = s + n0 * sRow;
    float* on = out + n0 * outRow;
    int64_t c0 = 0;
    for (; c0 + kBlock <= C; c0 += kBlock)
      withRowCount(
          R, [&](auto rows) __attribute__((always_inline)) {
            blockSums<rows>(K, sn, sRow, m + c0, mRow, on + c0, outRow);
          });
    for (; c0 < C; ++c0)
      for (int64_t r = 0; r < R; ++r) {
        float acc = 0;
        for (int64_t x = 0; x < K; ++x)
          acc += sn[r * sRow + x] * m[x * mRow + c0];
        on[r * outRow + c0] = acc;
      }
  }
}

// rowProducts over every row, row groups spread over LibTorch's threads.
void rowProductsParallel(int64_t N, int64_t K, int64_t C, const float* s, int64_t sRow,
                         const float* m, int64_t mRow, float* out, int64_t outRow) {
  at::parallel_for(0, (N + kRows - 1) / kRows, 16, [&](int64_t first, int64_t last) {
    rowProducts(N, K, C, s, sRow, m, mRow, out, outRow, first, last);
  });
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
                  queries.scalar_type() == at::kFloat,
              "small attention: queries must be contiguous float [N,D]");
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
  o.batchOf = checkedBatchRows(batchOf, N, B);
  o.mask = maskRows(additiveMask, B, T);
  return attend(o, N, kv.options(), nullptr).view({N, D});
}

at::Tensor smallAttentionOverInputs(const at::Tensor& queries, const at::Tensor& inputs,
                                    const at::Tensor& batchOf, const at::Tensor& additiveMask,
                                    double scale) {
  TORCH_CHECK(inputs.dim() == 3 && inputs.scalar_type() == at::kFloat && inputs.is_contiguous() &&
                  inputs.device().is_cpu(),
              "small attention: inputs must be a contiguous CPU float [B,T,D]");
  const int64_t B = inputs.size(0), T = inputs.size(1), D = inputs.size(2);
  TORCH_CHECK(queries.dim() == 3 && queries.size(2) == D && queries.is_contiguous() &&
                  queries.scalar_type() == at::kFloat,
              "small attention: queries must be contiguous float [N,R,D]");
  const int64_t N = queries.size(0), R = queries.size(1);
  // The R rows of a group are its query rows and the inputs its one head's
  // keys and values, so the kernel transposes each group's inputs once.
  Operands o;
  o.Tq = R;
  o.T = T;
  o.H = 1;
  o.dh = D;
  o.scale = static_cast<float>(scale);
  o.q = queries.data_ptr<float>();
  o.qGroup = R * D;
  o.qRow = D;
  o.k = o.v = inputs.data_ptr<float>();
  o.kvGroup = T * D;
  o.kvRow = D;
  o.batchOf = checkedBatchRows(batchOf, N, B);
  o.mask = maskRows(additiveMask, B, T);
  return attend(o, N, inputs.options(), nullptr).view({N, R, D});
}

at::Tensor smallAttentionFolded(const at::Tensor& queries, const at::Tensor& inputs,
                                const at::Tensor& batchOf, const at::Tensor& additiveMask,
                                int64_t heads, const at::Tensor& keyWeight,
                                const at::Tensor& valueWeightT, const at::Tensor& valueBias) {
  const int64_t N = queries.size(0), D = inputs.size(2);
  TORCH_CHECK(queries.dim() == 2 && queries.size(1) == D && queries.is_contiguous() &&
                  queries.scalar_type() == at::kFloat && D % heads == 0,
              "small attention: queries must be contiguous float [N,D]");
  for (const auto* w : {&keyWeight, &valueWeightT})
    TORCH_CHECK(w->sizes() == at::IntArrayRef({D, D}) && w->is_contiguous() &&
                    w->scalar_type() == at::kFloat,
                "small attention: the key and value weights must be contiguous float [D,D]");
  TORCH_CHECK(valueBias.numel() == D && valueBias.is_contiguous() &&
                  valueBias.scalar_type() == at::kFloat,
              "small attention: the value bias must be contiguous float [D]");
  const int64_t dh = D / heads;
  // folded[n, h, :] = W_k^h^T q[n, h]: per head, dh query values times the
  // head's dh rows of W_k.
  auto folded = at::empty({N, heads, D}, queries.options());
  for (int64_t h = 0; h < heads; ++h)
    rowProductsParallel(N, dh, D, queries.data_ptr<float>() + h * dh, D,
                        keyWeight.data_ptr<float>() + h * dh * D, D,
                        folded.data_ptr<float>() + h * D, heads * D);
  auto mixed = smallAttentionOverInputs(folded, inputs, batchOf, additiveMask,
                                        1.0 / std::sqrt(static_cast<double>(dh)));
  // context[n, h*dh + e] = b_v + sum_d mixed[n, h, d] W_v[h*dh + e, d].
  auto products = at::empty({N, D}, queries.options());
  for (int64_t h = 0; h < heads; ++h)
    rowProductsParallel(N, D, dh, mixed.data_ptr<float>() + h * D, heads * D,
                        valueWeightT.data_ptr<float>() + h * dh, D,
                        products.data_ptr<float>() + h * dh, D);
  return products.add_(valueBias);
}

} // namespace chrysalis::engine
