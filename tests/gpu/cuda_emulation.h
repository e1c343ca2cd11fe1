#pragma once
// Runs the CUDA kernels of gpu/src/*_kernel.cuh on the CPU, so that their
// indexing, banding, reductions and tie-breaking are tested on machines
// without a GPU. Only the built-ins those kernels use are provided. Each
// block runs as blockDim real threads (std::thread) with __syncthreads() a
// barrier; blocks run one after another, so __shared__ variables can be
// function statics. Include this before the .cuh files; nothing here comes
// from CUDA.
#define CHRYSALIS_CUDA_EMULATION 1

#include <pthread.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <thread>
#include <vector>

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __shared__ static

namespace chrysalis_cuda_emulation {

struct Dim3 {
  unsigned x = 0, y = 0, z = 0;
};
inline thread_local Dim3 threadIndex, blockIndex, blockDimension;
inline pthread_barrier_t* blockBarrier = nullptr;
inline std::vector<unsigned char> dynamicSharedMemory;

inline unsigned char* dynamicShared() {
  return dynamicSharedMemory.data();
}

// kernel() is called by every thread of every block of a gx x gy grid.
template <class Kernel>
void launch(unsigned gx, unsigned gy, unsigned threads, size_t sharedBytes, const Kernel& kernel) {
  for (unsigned by = 0; by < gy; ++by)
    for (unsigned bx = 0; bx < gx; ++bx) {
      dynamicSharedMemory.assign(sharedBytes + 16, 0xA5); // garbage, as on a GPU
      pthread_barrier_t barrier;
      if (pthread_barrier_init(&barrier, nullptr, threads) != 0)
        throw std::runtime_error("pthread_barrier_init");
      blockBarrier = &barrier;
      std::vector<std::thread> pool;
      pool.reserve(threads);
      for (unsigned t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
          threadIndex = {t, 0, 0};
          blockIndex = {bx, by, 0};
          blockDimension = {threads, 1, 1};
          kernel();
        });
      for (auto& th : pool)
        th.join();
      pthread_barrier_destroy(&barrier);
      blockBarrier = nullptr;
    }
}

} // namespace chrysalis_cuda_emulation

#define threadIdx (::chrysalis_cuda_emulation::threadIndex)
#define blockIdx (::chrysalis_cuda_emulation::blockIndex)
#define blockDim (::chrysalis_cuda_emulation::blockDimension)

inline void __syncthreads() {
  pthread_barrier_wait(::chrysalis_cuda_emulation::blockBarrier);
}
inline int min(int a, int b) {
  return a < b ? a : b;
}
inline unsigned long long atomicAdd(unsigned long long* p, unsigned long long v) {
  return __atomic_fetch_add(p, v, __ATOMIC_RELAXED);
}
// Round-to-nearest double operations (this file's users build with -ffp-contract=off).
inline double __dadd_rn(double a, double b) {
  return a + b;
}
inline double __dsub_rn(double a, double b) {
  return a - b;
}
inline double __dmul_rn(double a, double b) {
  return a * b;
}
inline double __longlong_as_double(long long v) {
  double d;
  std::memcpy(&d, &v, sizeof d);
  return d;
}
