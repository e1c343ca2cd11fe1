#include "train/interrupt.h"

#include <csignal>
#include <cstdlib>
#include <thread>

namespace chrysalis::train {

namespace {
std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the flag is set from a signal handler");

void onSignal(int) {
  g_stop.store(true);
  // The next signal of either kind ends the process at once (a SIGTERM to
  // the process group followed by Ctrl-C used to leave it running).
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}
} // namespace

const std::atomic<bool>& installInterruptHandlers() {
  static const bool installed = [] {
    struct sigaction action {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
    return true;
  }();
  (void)installed;
  return g_stop;
}

void requestStop() {
  g_stop.store(true);
}

void exitIfStillRunningAfterStop(std::chrono::milliseconds grace, int exitCode) {
  std::thread([grace, exitCode] {
    while (!g_stop.load())
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::this_thread::sleep_for(grace);
    std::_Exit(exitCode);
  }).detach();
}

} // namespace chrysalis::train
