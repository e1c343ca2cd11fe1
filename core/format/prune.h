#pragma once
// Dropping the weights of some checkpoints while keeping their attributes
// (and every probe result): how the bundled demo fits in the repository and
// how a user reclaims disk once a series is probed.
#include <cstdint>
#include <filesystem>
#include <vector>

namespace chrysalis::format {

// `count` steps spread evenly in log(1 + step) over `steps` (ascending),
// always including the first and the last.
std::vector<int64_t> logSpacedSteps(const std::vector<int64_t>& steps, size_t count);

// Rewrites every checkpoint not in `keep` as a metadata-only checkpoint
// (atomically). Returns how many were pruned.
size_t pruneWeights(const std::filesystem::path& seriesDir, const std::vector<int64_t>& keep);

} // namespace chrysalis::format
