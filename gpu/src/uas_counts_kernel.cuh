#pragma once
// The UAS-count kernel (the host side is in uas_counts.cu). No CUDA header is
// included here, so tests/gpu can also compile it for the CPU with a small
// emulation of the CUDA built-ins (cuda_emulation.h) and run it there.
//
// UAS correct counts, fused: piece-level attention -> word-level values ->
// per-head argmax parent (both directions) -> per-relation counts. One block
// per (sentence, layer, head); the word-level map is built in shared memory
// a band of rows at a time, so only the counts are ever written to memory.
//
// The arithmetic mirrors probes::wordLevelMaps and UasAccumulator::addSentence
// operation for operation, so the float word-level values are bit-identical
// and ties break the same way:
//   value(i, j) = float( (sum_{t in j} (sum_{p in i} double(a[p][t]))) * (1.0 / |i|) )
//   (the sums in ascending p, then ascending t; no FMA can form: no product is added)
//   dep->head:  argmax_j of row i,    head<-dep: argmax_j of column i,
//   j over the words only (1..n), value(i, i) taken as 0, a strict '>' scan
//   in ascending j starting from -1 (first index wins ties).
#include "chrysalis/gpu/uas_batch.h"

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace chrysalis::gpu::uas_kernel {

// Internal linkage: the CPU emulation in tests/gpu compiles these again.
namespace {

constexpr int kThreads = 256;
constexpr size_t kSharedBudget = 48 * 1024; // the default limit; no opt-in needed
constexpr int kMaxGridY = 65535;

struct DeviceWords {
  const int32_t* offset; // B + 1
  const int32_t* begin;
  const int32_t* end;
  const int32_t* head;
  const int32_t* relation;
};

__global__ void __launch_bounds__(kThreads)
    uasCountsKernel(const float* __restrict__ attention, int64_t T, int64_t strideBatch,
                    int64_t strideLayer, int64_t strideHead, int heads, int sentenceBase,
                    DeviceWords w, int64_t relations, unsigned long long* __restrict__ counts,
                    int chunkRows, int maxWords) {
#ifdef CHRYSALIS_CUDA_EMULATION
  unsigned char* shared = ::chrysalis_cuda_emulation::dynamicShared();
#else
  extern __shared__ __align__(16) unsigned char shared[];
#endif
  float* band = reinterpret_cast<float*>(shared); // chunkRows x n word-level values
  float* colBest = band + chunkRows * maxWords;   // head<-dep: running best per column
  int* colArg = reinterpret_cast<int*>(colBest + maxWords);

  const int lh = static_cast<int>(blockIdx.x);
  const int b = sentenceBase + static_cast<int>(blockIdx.y);
  const int layer = lh / heads, head = lh % heads;
  const int w0 = w.offset[b];
  const int n = w.offset[b + 1] - w0;
  if (n == 0) return; // the same for the whole block
  const float* a = attention + b * strideBatch + layer * strideLayer + head * strideHead;

  auto count = [&](int word, int direction, int predicted) {
    const int gold = w.head[w0 + word];
    const int r = w.relation[w0 + word];
    if (gold != 0 && gold == predicted && r >= 0)
      atomicAdd(counts + (static_cast<int64_t>(lh) * 2 + direction) * relations + r, 1ULL);
  };

  for (int c = threadIdx.x; c < n; c += blockDim.x) {
    colBest[c] = -1.0f;
    colArg[c] = 0;
  }
  for (int r0 = 0; r0 < n; r0 += chunkRows) {
    const int rows = min(chunkRows, n - r0);
    // Word-level values of rows r0 .. r0+rows-1 (0-based word indices).
    for (int e = threadIdx.x; e < rows * n; e += blockDim.x) {
      const int ri = e / n, j = e - ri * n, i = r0 + ri;
      const int pb = w.begin[w0 + i], pe = w.end[w0 + i];
      const int tb = w.begin[w0 + j], te = w.end[w0 + j];
      double v = 0.0;
      for (int t = tb; t < te; ++t) {
        double s = 0.0; // rowSum[t] of wordLevelMaps
        for (int p = pb; p < pe; ++p)
          s += static_cast<double>(a[p * T + t]);
        v += s;
      }
      const double inv = 1.0 / static_cast<double>(pe - pb);
      band[ri * n + j] = static_cast<float>(v * inv);
    }
    __syncthreads();
    // Threads 0..rows-1 scan the rows (dep->head), the next n the columns
    // (head<-dep, continuing the scan over the rows of earlier bands).
    for (int x = threadIdx.x; x < rows + n; x += blockDim.x) {
      if (x < rows) {
        const int i = r0 + x;
        int best = 0;
        float bestValue = -1.0f;
        for (int j = 0; j < n; ++j) {
          const float v = j == i ? 0.0f : band[x * n + j];
          if (v > bestValue) {
            bestValue = v;
            best = j + 1;
          }
        }
        count(i, 0, best);
      } else {
        const int c = x - rows;
        float bestValue = colBest[c];
        int best = colArg[c];
        for (int ri = 0; ri < rows; ++ri) {
          const int j = r0 + ri;
          const float v = j == c ? 0.0f : band[ri * n + c];
          if (v > bestValue) {
            bestValue = v;
            best = j + 1;
          }
        }
        colBest[c] = bestValue;
        colArg[c] = best;
      }
    }
    __syncthreads();
  }
  for (int c = threadIdx.x; c < n; c += blockDim.x)
    count(c, 1, colArg[c]);
}

// Host side, shared by the launch and its CPU emulation.
// Shared memory: a band of `chunkRows` rows of the word-level map, plus a
// best value and index per column for head<-dep.
struct LaunchPlan {
  int chunkRows = 0;
  size_t sharedBytes = 0;
};

inline LaunchPlan planLaunch(int maxWords) {
  const size_t words = static_cast<size_t>(std::max(maxWords, 1));
  const size_t perColumn = sizeof(float) + sizeof(int);
  if (words * (perColumn + sizeof(float)) > kSharedBudget)
    throw std::invalid_argument("uasCorrectCounts: a sentence of " + std::to_string(maxWords) +
                                " words is too long for the kernel");
  LaunchPlan p;
  p.chunkRows = static_cast<int>(
      std::min(words, (kSharedBudget - words * perColumn) / (words * sizeof(float))));
  p.sharedBytes = static_cast<size_t>(p.chunkRows) * words * sizeof(float) + words * perColumn;
  return p;
}

// The word data as one int32 array: offsets, then begin, end, head, relation.
inline std::vector<int32_t> packWords(const UasBatch& w) {
  std::vector<int32_t> packed;
  packed.reserve(w.wordOffset.size() + 4 * w.words());
  packed.insert(packed.end(), w.wordOffset.begin(), w.wordOffset.end());
  for (const auto* v : {&w.pieceBegin, &w.pieceEnd, &w.head, &w.relation})
    packed.insert(packed.end(), v->begin(), v->end());
  return packed;
}

inline DeviceWords unpackWords(const int32_t* packed, size_t sentences, size_t words) {
  const int32_t* p = packed + sentences + 1;
  return {packed, p, p + words, p + 2 * words, p + 3 * words};
}

} // namespace

} // namespace chrysalis::gpu::uas_kernel
