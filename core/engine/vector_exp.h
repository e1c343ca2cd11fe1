#pragma once
// An exponential for loops that should vectorize (the attention softmax, the
// vocabulary's log-sum-exp): inline, no calls, no branches.

#include <cmath>
#include <cstdint>
#include <cstring>

namespace chrysalis::engine {

/// e^x for x <= 0: x = n ln 2 + r with |r| <= ln 2 / 2, e^r by its Taylor
/// series to r^7 (truncation under 6e-9 relative, below float rounding), 2^n
/// put in the exponent bits. Below -87 it returns 0 (std::exp gives at most
/// 1.7e-38 there; the additive padding mask's -3.4e38 lands here). NaN stays NaN.
inline float expNonPositive(float x) {
  const bool inRange = x >= -87.0f; // false for NaN too
  const float y = inRange ? x : -87.0f;
  const float n = std::floor(y * 1.44269504f + 0.5f);
  const float r = (y - n * 0.693359375f) + n * 2.12194440e-4f; // ln 2 in two parts
  float p = 1.0f / 5040;
  p = p * r + 1.0f / 720;
  p = p * r + 1.0f / 120;
  p = p * r + 1.0f / 24;
  p = p * r + 1.0f / 6;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  const auto bits = static_cast<uint32_t>(static_cast<int32_t>(n) + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return inRange ? p * scale : (x != x ? x : 0.0f);
}

} // namespace chrysalis::engine
