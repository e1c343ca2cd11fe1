// chrysalis-cli tokenize: placeholder until the WordPiece tokenizer lands.
#include "cli/commands.h"

namespace chrysalis::cli {
void addTokenizeCommand(CLI::App& root, int& exitCode) {
  auto* cmd = root.add_subcommand("tokenize", "Print the WordPiece tokens of each stdin line");
  cmd->callback([&exitCode] { exitCode = 1; });
}
} // namespace chrysalis::cli
