#pragma once
// The TwoNN kernel (the host side is in twonn.cu); like uas_counts_kernel.cuh
// it includes no CUDA header and also builds under tests/gpu/cuda_emulation.h.
//
// TwoNN neighbour distances: squared Euclidean distances tiled like a GEMM
// (64 x 64 output tiles, 16-wide k slices staged in shared memory, a 4 x 4
// register tile per thread), with the top-2 selection fused in, so no n x n
// matrix is formed. Each distance is sum_k (x_ik - x_jk)^2 in double with k
// ascending and explicit round-to-nearest add and multiply (no FMA), the same
// operations as reference::twoNnNeighbours, so the results match it exactly.
#include <cstdint>

namespace chrysalis::gpu::twonn_kernel {

// Internal linkage: the CPU emulation in tests/gpu compiles these again.
namespace {

constexpr int kBM = 64, kBN = 64, kBK = 16, kTM = 4, kTN = 4;
constexpr int kThreadsX = kBN / kTN, kThreadsY = kBM / kTM; // 16 x 16
constexpr int kThreads = kThreadsX * kThreadsY;

__device__ __forceinline__ double infinity() {
  return __longlong_as_double(0x7ff0000000000000LL);
}

// Keeps the two smallest values seen (a multiset: equal values fill both).
__device__ __forceinline__ void insert2(double v, double& first, double& second) {
  if (v < first) {
    second = first;
    first = v;
  } else if (v < second) {
    second = v;
  }
}

__global__ void __launch_bounds__(kThreads)
    twoNnKernel(const float* __restrict__ x, int n, int d, double* __restrict__ first,
                double* __restrict__ second) {
  __shared__ double As[kBK][kBM + 1];
  __shared__ double Bs[kBK][kBN + 1];
  __shared__ double cand[kBM][kThreadsX][2];
  const int tid = static_cast<int>(threadIdx.x);
  const int tx = tid % kThreadsX, ty = tid / kThreadsX;
  const int row0 = static_cast<int>(blockIdx.x) * kBM;

  double f[kTM], s[kTM];
  for (int m = 0; m < kTM; ++m)
    f[m] = s[m] = infinity();

  for (int col0 = 0; col0 < n; col0 += kBN) {
    double acc[kTM][kTN];
    for (int m = 0; m < kTM; ++m)
      for (int q = 0; q < kTN; ++q)
        acc[m][q] = 0.0;
    for (int k0 = 0; k0 < d; k0 += kBK) {
      for (int e = tid; e < kBM * kBK; e += kThreads) {
        const int r = e / kBK, k = e % kBK, gk = k0 + k;
        const int gi = row0 + r, gj = col0 + r;
        As[k][r] =
            gi < n && gk < d ? static_cast<double>(x[static_cast<int64_t>(gi) * d + gk]) : 0.0;
        Bs[k][r] =
            gj < n && gk < d ? static_cast<double>(x[static_cast<int64_t>(gj) * d + gk]) : 0.0;
      }
      __syncthreads();
      const int kEnd = min(kBK, d - k0);
      for (int k = 0; k < kEnd; ++k) {
        double a[kTM], b[kTN];
        for (int m = 0; m < kTM; ++m)
          a[m] = As[k][ty * kTM + m];
        for (int q = 0; q < kTN; ++q)
          b[q] = Bs[k][tx * kTN + q];
        for (int m = 0; m < kTM; ++m)
          for (int q = 0; q < kTN; ++q) {
            const double diff = __dsub_rn(a[m], b[q]);
            acc[m][q] = __dadd_rn(acc[m][q], __dmul_rn(diff, diff));
          }
      }
      __syncthreads();
    }
    for (int m = 0; m < kTM; ++m) {
      const int i = row0 + ty * kTM + m;
      for (int q = 0; q < kTN; ++q) {
        const int j = col0 + tx * kTN + q;
        if (j < n && j != i) insert2(acc[m][q], f[m], s[m]);
      }
    }
  }
  // Merge the 16 partial top-2s of each row.
  for (int m = 0; m < kTM; ++m) {
    cand[ty * kTM + m][tx][0] = f[m];
    cand[ty * kTM + m][tx][1] = s[m];
  }
  __syncthreads();
  if (tid < kBM && row0 + tid < n) {
    double F = infinity(), S = infinity();
    for (int t = 0; t < kThreadsX; ++t) {
      insert2(cand[tid][t][0], F, S);
      insert2(cand[tid][t][1], F, S);
    }
    first[row0 + tid] = F;
    second[row0 + tid] = S;
  }
}

} // namespace

} // namespace chrysalis::gpu::twonn_kernel
