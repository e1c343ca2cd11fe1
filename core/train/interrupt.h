#pragma once
// SIGINT/SIGTERM → a flag the trainer polls after each step, so that it can
// finish the step and write a checkpoint + resume state before exiting. A
// second signal gets the default action (immediate exit).
#include <atomic>

namespace chrysalis::train {

// Installs the handlers (once) and returns the flag they set.
const std::atomic<bool>& installInterruptHandlers();

} // namespace chrysalis::train
