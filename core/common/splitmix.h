#pragma once
// SplitMix64 (Steele, Lea & Flood 2014; constants as in Vigna's reference
// code) and an unbiased bounded draw. Written out here, not taken from
// <random>, so that samples (probe-set choice, BLiMP subsamples, masking,
// bootstrap resamples) are identical on every platform and library.
#include <cstdint>

namespace chrysalis {

class SplitMix64 {
public:
  explicit SplitMix64(uint64_t seed) : m_state(seed) {}

  uint64_t next() {
    uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, bound) for bound > 0: draws below 2^64 mod bound are
  // rejected so that every residue is equally likely.
  uint64_t below(uint64_t bound) {
    const uint64_t threshold = (0 - bound) % bound;
    while (true) {
      const uint64_t x = next();
      if (x >= threshold) return x % bound;
    }
  }

private:
  uint64_t m_state;
};

} // namespace chrysalis
