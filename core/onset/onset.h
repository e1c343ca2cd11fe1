#pragma once
// The result every detector returns: one marked checkpoint.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace chrysalis::onset {

struct Onset {
  /// The checkpoint step marked.
  int64_t step = 0;
  /// Index of that checkpoint in the curve passed in (missing points count).
  size_t index = 0;
  /// Detector-specific strength: the discrete second derivative for the
  /// default detector, the slope increase at the break for the fits (both in
  /// value units per axis unit, sign-flipped for falling metrics), the metric's
  /// value for a plateau.
  double score = 0.0;
  /// Bootstrap interval (5th and 95th percentile steps by default); set only
  /// by the bootstrap functions.
  std::optional<int64_t> lowStep;
  std::optional<int64_t> highStep;
  /// Fraction of bootstrap resamples whose onset is this same step (resamples
  /// with no onset count as disagreeing); set only by the bootstrap functions.
  std::optional<double> agreement;
  /// Human-readable description of how this onset was found, for display,
  /// e.g. "second derivative (step spacing)".
  std::string method;
};

} // namespace chrysalis::onset
