#pragma once
// The CUDA kernels of gpu/, behind plain C++: device pointers and a stream
// (a cudaStream_t passed as void*, nullptr = the legacy default stream).
// Nothing here includes CUDA, LibTorch or Qt headers, so any C++ target can
// call it; the functions live in the chrysalis_gpu library (nvcc-built).
// Every function throws chrysalis::gpu::CudaError on a CUDA failure and
// std::invalid_argument on inconsistent sizes; none aborts the process.
#include "chrysalis/gpu/uas_batch.h"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace chrysalis::gpu {

class CudaError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// GPUs this process can use; 0 when there is no driver, no GPU, or the
// driver is older than the runtime. Never throws, never aborts.
int gpuDeviceCount() noexcept;
// "NVIDIA H200 (sm_90, 139.8 GiB)", or "" when the device does not exist.
std::string gpuDeviceName(int device = 0);
// CUDA runtime version the library was built with, e.g. "13.0".
std::string gpuRuntimeVersion();

// Device memory owned by this object (cudaMalloc / cudaFree).
class DeviceBuffer {
public:
  DeviceBuffer() = default;
  explicit DeviceBuffer(size_t bytes);
  ~DeviceBuffer();
  DeviceBuffer(DeviceBuffer&& o) noexcept;
  DeviceBuffer& operator=(DeviceBuffer&& o) noexcept;
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;

  void* data() const { return m_ptr; }
  template <class T> T* as() const { return static_cast<T*>(m_ptr); }
  size_t bytes() const { return m_bytes; }
  // Synchronous copies of `bytes` (at most bytes()) from / to host memory.
  void upload(const void* host, size_t bytes);
  void download(void* host, size_t bytes) const;
  void zero();

private:
  void* m_ptr = nullptr;
  size_t m_bytes = 0;
};

// Waits for the stream (nullptr: the whole device) and reports any error.
void synchronize(void* stream = nullptr);

// UAS correct counts of one batch, fused on the device: word-level maps
// (attention to a word = sum over its pieces, from a word = mean over its
// pieces, exactly as probes::wordLevelMaps), the per-head argmax parent in
// both directions (diagonal zeroed, [CLS]/[SEP] dropped, first index on
// ties, as probes::UasAccumulator), and per relation the number of words
// whose gold head was predicted. Neither the piece-level nor the word-level
// maps leave the device.
//
// `attention` (device, float) is laid out as `layout` says; `counts` (device,
// int64) is [layers, heads, 2, relations] (countIndex) and is ADDED to, so
// one buffer can collect every batch of a probe set. The word data is
// validated on the host (validateUasBatch) and copied to the device on
// `stream`. Returns after the launch (asynchronous).
void uasCorrectCounts(const float* attention, const AttentionLayout& layout, const UasBatch& words,
                      int64_t relations, int64_t* counts, void* stream = nullptr);

// TwoNN neighbour distances: `points` (device, float) is n x d row-major;
// writes to `first` and `second` (device, double, n each) the squared
// Euclidean distance from each point to its nearest and second-nearest other
// point (+inf when there is none). Distances are accumulated in double as
// sum_k (x_ik - x_jk)^2, tiled like a GEMM, and the top-2 selection is fused
// into the same kernel (no n x n matrix is formed). Asynchronous.
void twoNnNeighbours(const float* points, int64_t n, int64_t d, double* first, double* second,
                     void* stream = nullptr);

} // namespace chrysalis::gpu
