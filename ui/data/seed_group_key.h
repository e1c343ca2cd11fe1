#pragma once
// Which runs differ only by their seed: two runs with equal keys are seeds of
// one experiment and can be drawn as one mean curve with a band.
#include <nlohmann/json_fwd.hpp>

#include <QString>

namespace chrysalis::ui {

/// The run's training configuration without what names one run of it (the
/// seed, the label, the command line and output paths), with the model
/// configuration, as canonical JSON.
/// @returns the key, or an empty string when `training` is not an object
///          (a run whose training is unknown is never grouped).
QString seedGroupKey(const nlohmann::json& training, const nlohmann::json& modelConfig);

/// "baseline seed 2" -> "baseline": a group's name from its first run's label.
QString labelWithoutSeed(const QString& label);

} // namespace chrysalis::ui
