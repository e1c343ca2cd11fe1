#pragma once
// A tiny seeded generator. The bootstrap uses it instead of <random>'s
// distributions, whose output differs between standard libraries, so that a
// seed gives the same interval on every platform.
#include <cstdint>

namespace chrysalis::onset {

/// SplitMix64 (Steele, Lea, Flood 2014): 64-bit state, passes BigCrush,
/// and any seed (including 0) is a good one.
class SplitMix64 {
public:
  explicit SplitMix64(uint64_t seed) : m_state(seed) {}

  /// @returns the next 64 random bits.
  uint64_t next() {
    uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  /// @returns a uniform integer in [0, n); n must be > 0. Rejection sampling
  /// removes the modulo bias.
  uint64_t below(uint64_t n) {
    uint64_t limit = (0 - n) % n; // 2^64 mod n: the biased low values to skip
    uint64_t r = next();
    while (r < limit)
      r = next();
    return r % n;
  }

private:
  uint64_t m_state;
};

} // namespace chrysalis::onset
