#include "format/prune.h"

#include "format/series.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace chrysalis::format {

std::vector<int64_t> logSpacedSteps(const std::vector<int64_t>& steps, size_t count) {
  if (steps.size() <= count || count < 2) return steps;
  const double lo = std::log1p(static_cast<double>(steps.front()));
  const double hi = std::log1p(static_cast<double>(steps.back()));
  std::set<int64_t> chosen;
  for (size_t k = 0; k < count; ++k) {
    const double target = lo + (hi - lo) * static_cast<double>(k) / static_cast<double>(count - 1);
    auto best = std::min_element(steps.begin(), steps.end(), [&](int64_t a, int64_t b) {
      return std::abs(std::log1p(static_cast<double>(a)) - target) <
             std::abs(std::log1p(static_cast<double>(b)) - target);
    });
    chosen.insert(*best);
  }
  return {chosen.begin(), chosen.end()};
}

size_t pruneWeights(const std::filesystem::path& seriesDir, const std::vector<int64_t>& keep) {
  // Every attribute is written back, the extra values too (mlm_loss, ...).
  const auto listing = listSeries(seriesDir, ReadExtras::Yes);
  size_t pruned = 0;
  for (const auto& c : listing.checkpoints) {
    if (!c.hasWeights || std::find(keep.begin(), keep.end(), c.step) != keep.end()) continue;
    CheckpointInfo info = c;
    writeCheckpoint(c.path, info, {});
    ++pruned;
  }
  return pruned;
}

} // namespace chrysalis::format
