#pragma once
// Which heads the ablation probe masks (docs/probes.md, "ablation"):
//   "4-1,3-2"  explicit heads, layer-head counted from 1 as the GUI shows them
//   "top:K"    the K heads with the highest UAS at the checkpoint probed
//   "random:K" K heads drawn with the probe's seed (a control)
// No LibTorch: parsed by the CLI and the GUI as well.
#include <cstdint>
#include <string>
#include <vector>

namespace chrysalis::probes {

struct HeadChoice {
  enum class Kind { Explicit, Top, Random };
  Kind kind = Kind::Top;
  size_t count = 3;            // K (Explicit: the number of heads listed)
  std::vector<int64_t> layers; // Explicit: 0-based layer and head of each
  std::vector<int64_t> heads;
};

// Throws std::invalid_argument naming the spec and what is wrong with it.
HeadChoice parseHeadChoice(const std::string& spec);

// The spec that parseHeadChoice reads back ("4-1,3-2", "top:3", "random:3").
std::string headChoiceSpec(const HeadChoice& choice);

// The chosen heads as flat indices (layer * heads + head), ascending. `headUas`
// (layers * heads values, NaN = undefined, ranked last) ranks heads for Top,
// ties to the lower index. Throws std::invalid_argument when an explicit head
// or K does not fit a model of `layers` x `heads`.
std::vector<int64_t> chooseHeads(const HeadChoice& choice, int64_t layers, int64_t heads,
                                 const std::vector<double>& headUas, uint64_t seed);

// K heads not in `exclude`, drawn with `seed`: a fixed shuffle of every head
// in which the excluded ones are skipped, so the control set changes little
// from one checkpoint to the next when the chosen set does. Ascending.
std::vector<int64_t> randomHeadsExcept(size_t count, int64_t total,
                                       const std::vector<int64_t>& exclude, uint64_t seed);

} // namespace chrysalis::probes
