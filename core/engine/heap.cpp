#include "engine/heap.h"

#include <climits>
#include <malloc.h>

namespace chrysalis::engine {

bool retainFreedMemory() {
#if defined(__GLIBC__)
  // Without mmap every block comes from the heap (the main arena grows with
  // brk; other threads' arenas fall back to it for blocks larger than their
  // 64 MiB heaps), and free memory at the top is kept up to 2 GiB.
  const bool noMmap = mallopt(M_MMAP_MAX, 0) == 1;
  const bool noTrim = mallopt(M_TRIM_THRESHOLD, INT_MAX) == 1;
  return noMmap && noTrim;
#else
  return false;
#endif
}

} // namespace chrysalis::engine
