#pragma once
// LayerNorm over the rows of a CPU float matrix, in place, for inference.
// LibTorch 1.13's CPU LayerNorm took 0.23 ms for 2,044 rows of 128 (a
// pseudo-likelihood forward makes eight of them); rows this short are
// normalised here with eight-lane sums: three passes over each row (mean,
// variance, normalise) while it is in L1.

namespace at {
class Tensor;
}

namespace chrysalis::engine {

/// Whether layerNormRowsInPlace takes `y`: a contiguous CPU float tensor
/// whose last dimension is that of the float weight and bias.
bool layerNormRowsApplies(const at::Tensor& y, const at::Tensor& weight, const at::Tensor& bias);

/// y[n, :] = (y[n, :] - mean) / sqrt(var + eps) * weight + bias for each
/// row, with LayerNorm's biased variance (two passes over the row).
void layerNormRowsInPlace(at::Tensor& y, const at::Tensor& weight, const at::Tensor& bias,
                          double eps);

} // namespace chrysalis::engine
