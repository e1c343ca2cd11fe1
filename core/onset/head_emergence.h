#pragma once
// When each attention head becomes syntactic: its own breakpoint, or "never".
#include "onset/checkpoint_matrix.h"
#include "onset/detector.h"
#include "onset/onset.h"

#include <optional>
#include <string>
#include <vector>

namespace chrysalis::onset {

struct HeadEmergenceOptions {
  /// Detector run on each head's curve.
  DetectorOptions detector;
  /// A head whose curve rises by less than this (in the metric's units, after
  /// the detector's smoothing and sign flip) never emerges.
  double minRise = 0.05;
};

struct HeadEmergence {
  /// The head's breakpoint; nullopt = never emerges.
  std::optional<Onset> onset;
  /// Largest rise of the curve: max over i < j of f[j] - f[i].
  double rise = 0.0;
  /// Why it never emerges (empty when it does): the rise under the minimum,
  /// or the detector's own "no onset" reason.
  std::string noOnsetReason;
};

/// Per-head emergence steps.
/// @param accuracy [checkpoints x heads], e.g. each head's best-relation
///                 accuracy (heads in the caller's order, e.g. layer * 12 + head).
/// @param options  detector and the minimum rise.
/// @returns one entry per head, in column order.
std::vector<HeadEmergence> headEmergence(const CheckpointMatrix& accuracy,
                                         const HeadEmergenceOptions& options = {});

/// @returns the emergence step of each head as a double, NaN for "never"
///          (handy for tables and colour maps).
std::vector<double> emergenceSteps(const std::vector<HeadEmergence>& heads);

/// Largest rise of a curve: max over i < j of f[j] - f[i] (0 for fewer than
/// two present points). Unlike max - first, a noisy first point cannot fake a
/// rise; unlike max - min, a head that only decays has none.
double largestRise(const Curve& curve);

} // namespace chrysalis::onset
