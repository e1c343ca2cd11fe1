#pragma once
// CPU twins of the kernels in kernels.h: the references the GPU results are
// checked against. Plain C++ (no CUDA) with host pointers and the same
// arguments; the UAS twin is built from core's own probes::wordLevelMaps and
// probes::UasAccumulator, so the GPU kernel is checked against exactly the
// code the CPU prober runs. Library chrysalis_gpu_reference.
#include "chrysalis/gpu/uas_batch.h"

#include <cstdint>
#include <vector>

namespace chrysalis::gpu::reference {

// Same contract as gpu::uasCorrectCounts, on host memory; `counts` is added to.
void uasCorrectCounts(const float* attention, const AttentionLayout& layout, const UasBatch& words,
                      int64_t relations, int64_t* counts);

// Same contract as gpu::twoNnNeighbours, on host memory: sum_k (x_ik - x_jk)^2
// in double, k ascending, no fused multiply-add (so the GPU can match it bit
// for bit), then the two smallest over j != i.
void twoNnNeighbours(const float* points, int64_t n, int64_t d, double* first, double* second);

} // namespace chrysalis::gpu::reference
