// chrysalis-cli tokenize: prints the WordPiece pieces of each stdin line,
// space-separated, one output line per input line (no [CLS]/[SEP]).
#include "cli/commands.h"

#include "text/wordpiece.h"

#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace chrysalis::cli {

namespace {
struct TokenizeArgs {
  std::string vocab;
  bool cased = false;
};

int runTokenize(const TokenizeArgs& args) {
  const auto options =
      args.cased ? text::WordPieceOptions::cased() : text::WordPieceOptions::uncased();
  const text::WordPieceTokenizer tokenizer(text::Vocab::load(args.vocab), options);
  std::ios::sync_with_stdio(false);
  std::string line;
  std::string out;
  std::vector<int32_t> ids;
  while (std::getline(std::cin, line)) {
    ids.clear();
    tokenizer.tokenizeIds(line, ids);
    out.clear();
    for (size_t i = 0; i < ids.size(); ++i) {
      if (i) out += ' ';
      out += tokenizer.vocab().token(ids[i]);
    }
    out += '\n';
    std::cout << out;
  }
  std::cout.flush();
  return std::cout ? 0 : 1;
}
} // namespace

void addTokenizeCommand(CLI::App& root, int& exitCode) {
  auto* cmd = root.add_subcommand("tokenize", "Print the WordPiece tokens of each stdin line");
  auto args = std::make_shared<TokenizeArgs>();
  cmd->add_option("--vocab", args->vocab, "BERT vocab.txt (one token per line)")->required();
  cmd->add_flag("--cased", args->cased, "Keep case and accents (cased BERT models)");
  cmd->callback([args, &exitCode] { exitCode = guarded([&] { return runTokenize(*args); }); });
}

} // namespace chrysalis::cli
