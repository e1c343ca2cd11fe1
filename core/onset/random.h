#pragma once
// The bootstrap's seeded generator: the project's SplitMix64, so that a seed
// gives the same interval on every platform (no <random> distributions).
#include "common/splitmix.h"

namespace chrysalis::onset {
using chrysalis::SplitMix64;
} // namespace chrysalis::onset
