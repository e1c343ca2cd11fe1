#pragma once
// The paper's two onsets and the UAS plateau, from the UAS and BLiMP curves.
#include "onset/curve.h"
#include "onset/detector.h"
#include "onset/onset.h"

#include <optional>
#include <string>

namespace chrysalis::onset {

struct OnsetOptions {
  /// Detector for both onsets. Its searchAfter bounds the structure search
  /// only; the capabilities search starts after the structure onset (or the
  /// plateau, see below). searchUntil bounds both.
  DetectorOptions detector;
  /// The plateau is the first checkpoint where UAS has made plateauFraction
  /// of its rise (from its lowest value before the maximum to the maximum).
  double plateauFraction = 0.95;
  /// The paper searches for the capabilities onset after the structure onset
  /// (the default; docs/method.md, "Onsets"). Set this to search only after
  /// the plateau instead, for runs where BLiMP creeps up together with UAS
  /// before its own jump.
  bool capabilitiesAfterPlateau = false;
};

struct OnsetReport {
  /// breakpoint(UAS).
  std::optional<Onset> structure;
  /// breakpoint(BLiMP) at steps after the structure onset (or plateau);
  /// nullopt when there is no such anchor to search after.
  std::optional<Onset> capabilities;
  /// First checkpoint where UAS has made the fraction of its rise (score =
  /// the UAS value there).
  std::optional<Onset> plateau;
  /// Why `structure` / `capabilities` is empty, for display ("" when set).
  std::string structureNone;
  std::string capabilitiesNone;
};

/// First checkpoint where the curve has made `fraction` of its rise: value >=
/// low + fraction * (max - low), low = the lowest value at or before the
/// maximum. The curve is smoothed first with `smoothing` (pass the
/// detector's), so that one noisy high point does not set the maximum.
/// @param curve    the metric (UAS); missing points are skipped.
/// @param fraction e.g. 0.95; must be finite.
/// @returns the plateau onset, or nullopt for an empty curve or when no point
///          reaches it (fraction > 1).
/// @throws std::invalid_argument for a non-finite fraction.
std::optional<Onset> plateauOnset(const Curve& curve, double fraction,
                                  const SmoothingOptions& smoothing = {});

/// Structure onset, capabilities onset and plateau of one run.
/// @param uas   UAS over checkpoints.
/// @param blimp BLiMP accuracy over checkpoints (its grid may differ from UAS's).
/// @returns each part, or nullopt where it cannot be computed (too few points,
///          no upward turn, no structure onset to search after).
OnsetReport findOnsets(const Curve& uas, const Curve& blimp, const OnsetOptions& options = {});

} // namespace chrysalis::onset
