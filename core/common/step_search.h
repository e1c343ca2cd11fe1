#pragma once
// The one search for "the newest step at or before this one" over ascending
// steps (checkpoints, probe results). What to do when every step is later is
// the caller's choice, and each caller says it where it calls.
#include <algorithm>
#include <cstddef>
#include <iterator>

namespace chrysalis {

/// Index of the newest of `ascending` at or before `step`; -1 when every one
/// is later or there is none.
template <class Steps, class Step>
std::ptrdiff_t indexAtOrBefore(const Steps& ascending, Step step) {
  const auto after = std::upper_bound(std::begin(ascending), std::end(ascending), step);
  return std::distance(std::begin(ascending), after) - 1;
}

} // namespace chrysalis
