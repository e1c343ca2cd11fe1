#pragma once
// Each chrysalis-cli subcommand registers itself on the root CLI11 app.
// The callback stores the command's exit status in `exitCode`:
// 0 ok, 1 bad input or failure (one line on stderr), 2 usage error (CLI11),
// 130 interrupted.
#include <CLI/CLI.hpp>

namespace chrysalis::cli {

void addTokenizeCommand(CLI::App& root, int& exitCode);
void addInfoCommand(CLI::App& root, int& exitCode);
void addImportHfCommand(CLI::App& root, int& exitCode);
void addAttentionCommand(CLI::App& root, int& exitCode);
void addProbeSetCommand(CLI::App& root, int& exitCode);
void addProbeCommand(CLI::App& root, int& exitCode);
void addMetricsCommand(CLI::App& root, int& exitCode);
void addOnsetsCommand(CLI::App& root, int& exitCode);
void addTwoNnCommand(CLI::App& root, int& exitCode);
void addTrainCommand(CLI::App& root, int& exitCode);
void addServeCommand(CLI::App& root, int& exitCode);
void addPruneCommand(CLI::App& root, int& exitCode);
void addCompletionCommand(CLI::App& root, int& exitCode);

// Runs `body`, turning any exception into "chrysalis-cli: <what>" on stderr
// and exit status 1.
int guarded(const std::function<int()>& body);

} // namespace chrysalis::cli
