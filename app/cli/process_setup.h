#pragma once
// Process-wide settings chrysalis-cli makes before any command runs.
namespace chrysalis::cli {

// The variable the app sets to its own process id when it starts the engine.
inline constexpr const char* kParentPidVariable = "CHRYSALIS_PARENT_PID";

// SIGPIPE is ignored: a write to a closed pipe fails with EPIPE, which the
// commands that stream (train, probe, serve) treat as "stop", instead of the
// process dying without saving its state.
void ignoreBrokenPipes();

// When started by the app (kParentPidVariable names the parent), the engine
// gets SIGTERM when its parent dies (PR_SET_PDEATHSIG), so that a killed app
// leaves no prober or trainer behind; if the parent died before this ran,
// it exits at once. Cluster jobs (no variable) outlive their shell as before.
void dieWithTheAppThatStartedUs();

} // namespace chrysalis::cli
