#pragma once
// SIGINT/SIGTERM → a flag the trainer and the prober poll (after each step,
// each batch), so that they can finish the step and write a checkpoint +
// resume state before exiting with 130. A second signal, of either kind,
// gets the default action (immediate exit): SIGTERM then SIGINT must not
// leave a process running.
#include <atomic>
#include <chrono>

namespace chrysalis::train {

// Installs the handlers (once) and returns the flag they set. The signals
// are also unblocked here: a parent may have left them blocked.
const std::atomic<bool>& installInterruptHandlers();

// Sets the same flag from ordinary code, e.g. when stdout is a closed pipe
// (EPIPE): nobody reads the progress any more, so stop as if interrupted.
void requestStop();

// For work whose unfinished part is worthless (a probe's current
// checkpoint; finished results are already stored): once the flag is set,
// ends the process with `exitCode` if it is still running `grace` later.
void exitIfStillRunningAfterStop(std::chrono::milliseconds grace, int exitCode);

} // namespace chrysalis::train
