// Host side of the TwoNN kernel (twonn_kernel.cuh).
#include "chrysalis/gpu/kernels.h"
#include "cuda_check.h"
#include "twonn_kernel.cuh"

namespace chrysalis::gpu {

using namespace twonn_kernel;

void twoNnNeighbours(const float* points, int64_t n, int64_t d, double* first, double* second,
                     void* stream) {
  if (n < 0 || d < 0) throw std::invalid_argument("twoNnNeighbours: negative size");
  if (n > 0x7fffffff - kBM || d > 0x7fffffff)
    throw std::invalid_argument("twoNnNeighbours: too many points");
  if (n == 0) return;
  if (!first || !second || (!points && d > 0))
    throw std::invalid_argument("twoNnNeighbours: null device pointer");
  const unsigned blocks = static_cast<unsigned>((n + kBM - 1) / kBM);
  twoNnKernel<<<blocks, kThreads, 0, detail::asStream(stream)>>>(
      points, static_cast<int>(n), static_cast<int>(d), first, second);
  detail::check(cudaGetLastError(), "twoNnNeighbours");
}

} // namespace chrysalis::gpu
