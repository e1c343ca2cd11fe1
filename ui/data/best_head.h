#pragma once
// The head a first look should land on: the most syntactic head of the run's
// newest UAS result, so the arcs and the attention matrix are not empty.
#include "data/run_data.h"

#include <optional>
#include <utility>

namespace chrysalis::ui {

/// @returns (layer, head) with the highest uas/head_best at the newest step
///          that has UAS results, or nullopt when there are none or the file
///          cannot be read.
std::optional<std::pair<int, int>> bestSyntacticHead(const RunData& run);

} // namespace chrysalis::ui
