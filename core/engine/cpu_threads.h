#pragma once
// CPU thread pools of the engine. LibTorch runs element-wise work on its own
// OpenMP pool and hands matrix products to the BLAS library, which keeps a
// second pool. With both pools sized to the cores, the idle OpenMP workers
// spin while BLAS computes, and the two pools steal each other's cores (a
// profile of a probe pass: ~45% of the CPU spent spinning and yielding).

namespace chrysalis::engine {

struct CpuThreads {
  int torch = 0; ///< LibTorch's intra-op (OpenMP) threads
  int blas = 0;  ///< the BLAS library's threads; 0 when it cannot be set
};

/// Sets the two pools for `threads` cores in all (0 = every core).
/// @returns what was applied.
CpuThreads configureCpuThreads(int threads);

/// Sets each pool explicitly (benchmarks compare the choices).
CpuThreads configureCpuThreads(int torchThreads, int blasThreads);

/// Threads the BLAS library uses now, or 0 when it cannot tell.
int blasThreads();

/// Sets the BLAS pool for a scope (e.g. one thread each for forwards run
/// side by side) and restores it after; does nothing without a BLAS pool.
class ScopedBlasThreads {
public:
  explicit ScopedBlasThreads(int threads);
  ~ScopedBlasThreads();
  ScopedBlasThreads(const ScopedBlasThreads&) = delete;
  ScopedBlasThreads& operator=(const ScopedBlasThreads&) = delete;

private:
  int m_previous = 0;
};

} // namespace chrysalis::engine
