#pragma once
// The paper's onsets for one run, from its UAS and BLiMP timelines, with the
// detector the user picked. The description always travels with the result:
// The app shows which detector marked an onset (docs/method.md, "Onset detectors").
#include "data/run_data.h"

#include "onset/onset.h"
#include "onset/onsets.h"

#include <QString>

#include <optional>

namespace chrysalis::ui {

enum class OnsetDetector {
  Default,          ///< logistic turn, significance-tested; answers "no onset" (docs/probes.md)
  SecondDerivative, ///< the paper's: argmax of the second derivative, raw step spacing
  LogStepSmoothed,  ///< second derivative, log-step spacing, light smoothing (noisy curves)
  ThreeSegmentFit,  ///< piecewise-linear change-point fit (flat, rise, plateau)
};

struct OnsetSettings {
  OnsetDetector detector = OnsetDetector::Default;
  double plateauFraction = 0.95;
};

/// Names the settings an onset answer depends on (the caches key on it).
QString onsetSettingsKey(const OnsetSettings& settings);

struct RunOnsets {
  std::optional<onset::Onset> structure;    ///< ▲ breakpoint(UAS)
  std::optional<onset::Onset> capabilities; ///< ● breakpoint(BLiMP) after the structure onset
  std::optional<onset::Onset> plateau;      ///< UAS first reaches the fraction of its maximum
  QString structureNone;                    ///< why there is no structure onset ("" if there is)
  QString capabilitiesNone;                 ///< why there is no capabilities onset
  QString description;                      ///< detector and search rules, one line
  QString problem;                          ///< why nothing was computed, when nothing was
};

/// @returns the core library options for the GUI's choice.
onset::OnsetOptions onsetOptions(const OnsetSettings& settings);
/// @returns a short name for menus ("2nd derivative (default)").
QString detectorName(OnsetDetector detector);
/// Runs onset::findOnsets on the run's `uas` and `blimp` scalars. Never throws.
RunOnsets computeOnsets(const RunData& run, const OnsetSettings& settings);

} // namespace chrysalis::ui
