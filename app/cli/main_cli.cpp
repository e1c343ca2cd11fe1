// chrysalis-cli: the engine. The GUI runs it as a child process; cluster jobs
// run it directly.
#include "cli/commands.h"
#include "cli/process_setup.h"
#include "engine/cpu_threads.h"
#include "engine/heap.h"

#include <iostream>

namespace chrysalis::cli {

int guarded(const std::function<int()>& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    std::cerr << "chrysalis-cli: " << e.what() << "\n";
    return 1;
  }
}

} // namespace chrysalis::cli

int main(int argc, char** argv) {
  chrysalis::cli::dieWithTheAppThatStartedUs();
  chrysalis::cli::ignoreBrokenPipes();
  // Engine-wide defaults, before any tensor exists: reuse freed memory, and
  // thread pools that do not spin against each other (commands given
  // --threads resize them).
  chrysalis::engine::retainFreedMemory();
  chrysalis::engine::configureCpuThreads(0);
  CLI::App app{
      "Chrysalis engine: checkpoint series, probes and training for masked language models"};
  app.set_version_flag("--version", std::string("chrysalis-cli ") + CHRYSALIS_VERSION);
  app.require_subcommand(1);
  int exitCode = 0;
  chrysalis::cli::addInfoCommand(app, exitCode);
  chrysalis::cli::addImportHfCommand(app, exitCode);
  chrysalis::cli::addAttentionCommand(app, exitCode);
  chrysalis::cli::addTokenizeCommand(app, exitCode);
  chrysalis::cli::addProbeSetCommand(app, exitCode);
  chrysalis::cli::addProbeCommand(app, exitCode);
  chrysalis::cli::addMetricsCommand(app, exitCode);
  chrysalis::cli::addOnsetsCommand(app, exitCode);
  chrysalis::cli::addTwoNnCommand(app, exitCode);
  chrysalis::cli::addTrainCommand(app, exitCode);
  chrysalis::cli::addServeCommand(app, exitCode);
  chrysalis::cli::addPruneCommand(app, exitCode);
  chrysalis::cli::addCompletionCommand(app, exitCode);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; every usage error exits 2 (CLI11's own codes vary).
    return app.exit(e) == 0 ? 0 : 2;
  }
  return exitCode;
}
