#pragma once
// Scaled dot-product attention for short sequences on the CPU, in inference.
//
// LibTorch's CPU bmm runs one BLAS call per [T, dh] matrix; at BLiMP's ~14
// pieces a forward of 2,000 tokens makes ~4,700 such calls per layer, and
// the call overhead, not the arithmetic, is a quarter of the layer's time
// (docs/performance.md, "BLiMP, all 67,000 pairs"). These kernels read the
// queries, keys and values where the fused Q/K/V projection wrote them and
// write each head's context straight into its [B, T, D] columns: no permuted
// copies and no per-matrix calls. The softmax is computed row by row as the
// scores are (its exponential a short polynomial, within float rounding of
// LibTorch's), so the scores never make a separate pass through memory; the
// products keep several rows' sums in registers (small_attention.cpp).

#include <cstdint>

namespace at {
class Tensor;
}

namespace chrysalis::engine {

/// Longest sequence the kernels are used for; longer ones keep LibTorch's
/// batched products, whose per-matrix overhead is then small.
constexpr int64_t kSmallAttentionMaxLength = 64;

/// Whether the kernels beat LibTorch's batched products for this length and
/// head size. Measured on one thread, ~4,096 tokens per call (2-core VM,
/// 2026-12-07, the register-blocked kernels): head size 32 wins 1.4-2.9x up
/// to 64 pieces, head size 64 1.5-2.6x; at 96-128 both win only 1.05-1.3x,
/// and there LibTorch's path is kept.
inline bool smallAttentionPays(int64_t length, int64_t /*headDim*/) {
  return length <= kSmallAttentionMaxLength;
}

/// Attention over every position. qkv: float [B, T, 3D], contiguous (the
/// fused projection's output: queries, keys, values, head h at columns
/// h*dh .. (h+1)*dh of each); additiveMask: float [B, 1, 1, T] or undefined.
/// Returns the context [B, T, D]; the probabilities [B, H, T, T] go to
/// probsOut when it is given.
at::Tensor smallAttention(const at::Tensor& qkv, const at::Tensor& additiveMask, int64_t heads,
                          at::Tensor* probsOut);

/// Attention for N single query rows: queries float [N, D]; kv float
/// [B, T, 2D] contiguous (keys, then values); batchOf int64 [N], the batch
/// row whose keys each query attends to. Returns the context [N, D].
at::Tensor smallAttentionRows(const at::Tensor& queries, const at::Tensor& kv,
                              const at::Tensor& batchOf, const at::Tensor& additiveMask,
                              int64_t heads);

/// Attention whose keys and values are the layer's inputs themselves: for
/// N groups of R query rows, queries float [N, R, D], inputs float [B, T, D]
/// contiguous, batchOf int64 [N] (the batch row each group attends over),
/// returns [N, R, D] with out[n, r] = sum_j softmax_j(scale * q[n, r] .
/// x[b, j] + mask[b, j]) * x[b, j]. With q = W_k^T q_h per head, this is the
/// pruned last layer's attention without projecting keys and values for
/// every position (bert_model.cpp, SelfAttention::forwardRowsFolded).
at::Tensor smallAttentionOverInputs(const at::Tensor& queries, const at::Tensor& inputs,
                                    const at::Tensor& batchOf, const at::Tensor& additiveMask,
                                    double scale);

/// The pruned last layer's attention for N query rows with keys and values
/// folded into the query side, exact up to rounding: q_h . (W_k^h x_j +
/// b_k^h) = (W_k^h^T q_h) . x_j plus a term constant in j, which the softmax
/// drops, and sum_j p_j (W_v^h x_j + b_v^h) = W_v^h (sum_j p_j x_j) + b_v^h
/// as the p_j sum to 1. queries float [N, D] (projected, with bias); inputs
/// [B, T, D] the layer's inputs; keyWeight W_k [D, D] and valueWeightT W_v^T
/// [D, D], contiguous; valueBias [D]. Returns the context [N, D]. Costs
/// two D x D products per query row (besides the caller's query projection)
/// instead of projecting keys and values
/// at all B*T positions; its products avoid BLAS, so its rounding does not
/// depend on the thread count.
at::Tensor smallAttentionFolded(const at::Tensor& queries, const at::Tensor& inputs,
                                const at::Tensor& batchOf, const at::Tensor& additiveMask,
                                int64_t heads, const at::Tensor& keyWeight,
                                const at::Tensor& valueWeightT, const at::Tensor& valueBias);

} // namespace chrysalis::engine
