#pragma once
// The text library's seeded draws (SplitMix64 from core/common) and a
// per-name seed hash.
#include "common/splitmix.h"

#include <cstdint>
#include <string_view>

namespace chrysalis::text {

using chrysalis::SplitMix64;

// 64-bit FNV-1a, to derive a per-name seed.
inline uint64_t fnv1a64(std::string_view s) {
  uint64_t h = 0xCBF29CE484222325ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001B3ULL;
  }
  return h;
}

} // namespace chrysalis::text
