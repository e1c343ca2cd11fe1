#include "train/interrupt.h"

#include <csignal>

namespace chrysalis::train {

namespace {
std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the flag is set from a signal handler");

void onSignal(int sig) {
  g_stop.store(true);
  std::signal(sig, SIG_DFL); // a second signal ends the process at once
}
} // namespace

const std::atomic<bool>& installInterruptHandlers() {
  static const bool installed = [] {
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    return true;
  }();
  (void)installed;
  return g_stop;
}

} // namespace chrysalis::train
