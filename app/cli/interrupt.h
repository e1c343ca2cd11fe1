#pragma once
// SIGINT/SIGTERM set a flag that long commands poll between units of work,
// so they stop cleanly and keep every finished result.
#include <atomic>

namespace chrysalis::cli {

// Installs the handlers (once) and returns the flag.
const std::atomic<bool>& installInterruptFlag();

} // namespace chrysalis::cli
