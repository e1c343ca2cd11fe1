#include "cli/process_setup.h"

#include <csignal>
#include <cstdlib>
#include <string>
#include <sys/prctl.h>
#include <unistd.h>

namespace chrysalis::cli {

void ignoreBrokenPipes() {
  std::signal(SIGPIPE, SIG_IGN);
}

void dieWithTheAppThatStartedUs() {
  const char* value = std::getenv(kParentPidVariable);
  if (!value || !*value) return;
  char* end = nullptr;
  const long parent = std::strtol(value, &end, 10);
  if (*end != '\0' || parent <= 1) return;
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  // The parent may have died between fork and prctl: then we were already
  // re-parented and no signal will come.
  if (::getppid() != static_cast<pid_t>(parent)) std::_Exit(130);
}

} // namespace chrysalis::cli
