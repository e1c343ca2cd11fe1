#pragma once
// The engine's heap policy. glibc serves allocations above its mmap
// threshold (at most 32 MiB) with fresh mmap'd pages and unmaps them on free,
// so each large activation tensor of a forward pass is page-faulted in anew:
// in a VM that costs ~140 ms for a 59 MB tensor that a reused block fills in
// 2 ms, and it made up nearly half of a probe pass (docs/performance.md).
// PyTorch's CPU tuning guide swaps in jemalloc or tcmalloc for this reason;
// glibc's own switches do it with no new library.

namespace chrysalis::engine {

/// Keeps freed memory in the process heap for reuse instead of returning it
/// to the system: no mmap for large blocks, no trimming of the heap top.
/// Call once at the start of an engine process, before big allocations; the
/// process then holds its peak heap until it exits. Returns false when the
/// C library refused a setting.
bool retainFreedMemory();

} // namespace chrysalis::engine
