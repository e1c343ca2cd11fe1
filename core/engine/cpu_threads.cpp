#include "engine/cpu_threads.h"

#include <torch/torch.h>

#include <dlfcn.h>
#include <thread>

namespace chrysalis::engine {

namespace {

// OpenBLAS (Debian's libblas.so.3 alternative) exports these; a LibTorch
// linked against MKL (PyTorch's own builds) has neither, and
// torch::set_num_threads already sizes MKL's pool.
using SetThreads = void (*)(int);
using GetThreads = int (*)();

SetThreads blasSetter() {
  return reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
}

GetThreads blasGetter() {
  return reinterpret_cast<GetThreads>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
}

} // namespace

int blasThreads() {
  auto get = blasGetter();
  return get ? get() : 0;
}

ScopedBlasThreads::ScopedBlasThreads(int threads) : m_previous(blasThreads()) {
  if (auto set = blasSetter(); set && m_previous > 0) set(threads);
}

ScopedBlasThreads::~ScopedBlasThreads() {
  if (auto set = blasSetter(); set && m_previous > 0) set(m_previous);
}

CpuThreads configureCpuThreads(int torchThreads, int blasThreadCount) {
  CpuThreads applied;
  if (torchThreads > 0) torch::set_num_threads(torchThreads);
  applied.torch = torch::get_num_threads();
  if (auto set = blasSetter(); set && blasThreadCount > 0) set(blasThreadCount);
  applied.blas = blasThreads();
  return applied;
}

CpuThreads configureCpuThreads(int threads) {
  const int cores =
      threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // With a BLAS pool of its own, matrix products use every core there and
  // LibTorch's OpenMP pool stays at one thread, so no pool spins against the
  // other; element-wise work is a small share of a forward pass. Without one
  // (MKL), LibTorch's setting sizes both.
  if (blasSetter()) return configureCpuThreads(1, cores);
  return configureCpuThreads(cores, 0);
}

} // namespace chrysalis::engine
