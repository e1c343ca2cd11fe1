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

} // namespace chrysalis::engine
