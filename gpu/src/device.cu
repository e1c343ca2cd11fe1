// Device query and device memory for gpu/ (plain C++ interface in kernels.h).
#include "chrysalis/gpu/kernels.h"
#include "cuda_check.h"

#include <cstdio>
#include <utility>

namespace chrysalis::gpu {

int gpuDeviceCount() noexcept {
  int n = 0;
  // No driver, a driver older than the runtime, or no GPU: all mean 0 here.
  if (cudaGetDeviceCount(&n) != cudaSuccess) {
    (void)cudaGetLastError();
    return 0;
  }
  return n;
}

std::string gpuDeviceName(int device) {
  if (device < 0 || device >= gpuDeviceCount()) return {};
  cudaDeviceProp p{};
  detail::check(cudaGetDeviceProperties(&p, device), "cudaGetDeviceProperties");
  char buf[320];
  std::snprintf(buf, sizeof buf, "%s (sm_%d%d, %.1f GiB)", p.name, p.major, p.minor,
                static_cast<double>(p.totalGlobalMem) / (1024.0 * 1024.0 * 1024.0));
  return buf;
}

std::string gpuRuntimeVersion() {
  return std::to_string(CUDART_VERSION / 1000) + "." + std::to_string(CUDART_VERSION % 1000 / 10);
}

DeviceBuffer::DeviceBuffer(size_t bytes) : m_bytes(bytes) {
  if (bytes > 0) detail::check(cudaMalloc(&m_ptr, bytes), "cudaMalloc");
}

DeviceBuffer::~DeviceBuffer() {
  if (m_ptr) (void)cudaFree(m_ptr);
}

DeviceBuffer::DeviceBuffer(DeviceBuffer&& o) noexcept
    : m_ptr(std::exchange(o.m_ptr, nullptr)), m_bytes(std::exchange(o.m_bytes, 0)) {}

DeviceBuffer& DeviceBuffer::operator=(DeviceBuffer&& o) noexcept {
  if (this != &o) {
    if (m_ptr) (void)cudaFree(m_ptr);
    m_ptr = std::exchange(o.m_ptr, nullptr);
    m_bytes = std::exchange(o.m_bytes, 0);
  }
  return *this;
}

void DeviceBuffer::upload(const void* host, size_t bytes) {
  if (bytes > m_bytes)
    throw std::invalid_argument("DeviceBuffer::upload: more bytes than the buffer holds");
  if (bytes > 0)
    detail::check(cudaMemcpy(m_ptr, host, bytes, cudaMemcpyHostToDevice), "cudaMemcpy to device");
}

void DeviceBuffer::download(void* host, size_t bytes) const {
  if (bytes > m_bytes)
    throw std::invalid_argument("DeviceBuffer::download: more bytes than the buffer holds");
  if (bytes > 0)
    detail::check(cudaMemcpy(host, m_ptr, bytes, cudaMemcpyDeviceToHost), "cudaMemcpy to host");
}

void DeviceBuffer::zero() {
  if (m_bytes > 0) detail::check(cudaMemset(m_ptr, 0, m_bytes), "cudaMemset");
}

void synchronize(void* stream) {
  if (stream)
    detail::check(cudaStreamSynchronize(detail::asStream(stream)), "cudaStreamSynchronize");
  else
    detail::check(cudaDeviceSynchronize(), "cudaDeviceSynchronize");
  detail::check(cudaGetLastError(), "kernel");
}

} // namespace chrysalis::gpu
