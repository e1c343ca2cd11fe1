// Host side of the UAS-count kernel (uas_counts_kernel.cuh): validation,
// the word data upload, shared-memory sizing and the launch.
#include "chrysalis/gpu/kernels.h"
#include "cuda_check.h"
#include "uas_counts_kernel.cuh"

#include <algorithm>
#include <vector>

namespace chrysalis::gpu {

using namespace uas_kernel;

void uasCorrectCounts(const float* attention, const AttentionLayout& layout, const UasBatch& words,
                      int64_t relations, int64_t* counts, void* stream) {
  validateUasBatch(layout, words, relations);
  if (layout.batch == 0 || layout.layers == 0 || layout.heads == 0 || words.words() == 0 ||
      relations == 0)
    return;
  if (!attention || !counts) throw std::invalid_argument("uasCorrectCounts: null device pointer");
  if (layout.layers * layout.heads > 0x7fffffff)
    throw std::invalid_argument("uasCorrectCounts: too many heads");
  const LaunchPlan plan = planLaunch(words.maxWords());
  const size_t B = words.sentences(), W = words.words();
  const std::vector<int32_t> packed = packWords(words);
  cudaStream_t s = detail::asStream(stream);
  void* dev = nullptr;
  const size_t bytes = packed.size() * sizeof(int32_t);
  detail::check(cudaMallocAsync(&dev, bytes, s), "cudaMallocAsync");
  // Pageable source: the call returns once the data is staged, so `packed` may go.
  cudaError_t e = cudaMemcpyAsync(dev, packed.data(), bytes, cudaMemcpyHostToDevice, s);
  if (e == cudaSuccess) {
    const DeviceWords dw = unpackWords(static_cast<const int32_t*>(dev), B, W);
    const int lhs = static_cast<int>(layout.layers * layout.heads);
    for (size_t first = 0; first < B && e == cudaSuccess; first += kMaxGridY) {
      const unsigned ny = static_cast<unsigned>(std::min<size_t>(kMaxGridY, B - first));
      uasCountsKernel<<<dim3(static_cast<unsigned>(lhs), ny), kThreads, plan.sharedBytes, s>>>(
          attention, layout.T, layout.strideBatch, layout.strideLayer, layout.strideHead,
          static_cast<int>(layout.heads), static_cast<int>(first), dw, relations,
          reinterpret_cast<unsigned long long*>(counts), plan.chunkRows,
          std::max(words.maxWords(), 1));
      e = cudaGetLastError();
    }
  }
  const cudaError_t f = cudaFreeAsync(dev, s);
  detail::check(e, "uasCorrectCounts");
  detail::check(f, "cudaFreeAsync");
}

} // namespace chrysalis::gpu
