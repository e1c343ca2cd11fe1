#pragma once
// Internal to gpu/: turning CUDA errors into CudaError exceptions.
#include "chrysalis/gpu/kernels.h"

#include <cuda_runtime.h>

#include <string>

namespace chrysalis::gpu::detail {

inline void check(cudaError_t e, const char* what) {
  if (e == cudaSuccess) return;
  (void)cudaGetLastError(); // clear a non-sticky error so later calls start clean
  throw CudaError(std::string("CUDA: ") + what + ": " + cudaGetErrorString(e));
}

inline cudaStream_t asStream(void* s) {
  return static_cast<cudaStream_t>(s);
}

} // namespace chrysalis::gpu::detail
