// chrysalis-cli probe-set build --conllu FILE... --vocab FILE --out PROBESET
#include "cli/commands.h"

#include "probes/probe_set.h"
#include "text/wordpiece.h"

#include <iostream>

namespace chrysalis::cli {

void addProbeSetCommand(CLI::App& root, int& exitCode) {
  auto* group =
      root.add_subcommand("probe-set", "Build or inspect probe sets (sentences with parses)");
  group->require_subcommand(1);
  auto* build = group->add_subcommand("build", "Select probe sentences from CoNLL-U treebanks");
  build->footer("Sentences are chosen by a seeded shuffle among those that fit --max-pieces after\n"
                "WordPiece tokenization (with [CLS]/[SEP]); invalid CoNLL-U sentences are skipped "
                "and counted.\n"
                "Example:\n  chrysalis-cli probe-set build --conllu en_ewt-ud-dev.conllu --vocab "
                "vocab.txt \\\n"
                "      --max-sentences 1000 --max-pieces 128 --seed 0 --out ewt-dev.probeset.h5");
  static std::vector<std::string> conllu;
  static std::string vocab, out;
  static bool cased = false;
  static probes::ProbeSetOptions options;
  build->add_option("--conllu", conllu, "CoNLL-U files")->required();
  build->add_option("--vocab", vocab, "WordPiece vocab.txt (the model's)")->required();
  build->add_flag("--cased", cased, "The vocabulary is cased");
  build->add_option("--max-sentences", options.maxSentences, "How many sentences")
      ->capture_default_str();
  build
      ->add_option("--max-pieces", options.maxPieces,
                   "Longest tokenized sentence, with [CLS]/[SEP]")
      ->capture_default_str();
  build->add_option("--min-words", options.minWords, "Shortest sentence in words")
      ->capture_default_str();
  build->add_option("--seed", options.seed, "Selection seed")->capture_default_str();
  build->add_option("--out", out, "Output probe set (HDF5)")->required();
  build->callback([&exitCode] {
    exitCode = guarded([] {
      text::WordPieceTokenizer tok(text::Vocab::load(vocab),
                                   cased ? text::WordPieceOptions::cased()
                                         : text::WordPieceOptions::uncased());
      probes::ProbeSetBuildReport report;
      std::vector<std::filesystem::path> files(conllu.begin(), conllu.end());
      auto set = probes::buildProbeSet(files, tok, options, &report);
      for (const auto& e : report.firstErrors)
        std::cerr << "skipped: " << e << "\n";
      if (set.sentences.empty())
        throw std::runtime_error(
            "no sentence to probe with: " + std::to_string(report.skipped) +
            " invalid, none of the valid ones has at least " + std::to_string(options.minWords) +
            " words and fits --max-pieces " + std::to_string(options.maxPieces) +
            "; nothing was written to " + out);
      probes::saveProbeSet(set, out);
      std::cout << "probe set " << set.hash() << ": " << set.sentences.size() << " sentences, "
                << set.wordCount() << " words";
      if (report.skipped) std::cout << " (" << report.skipped << " invalid sentences skipped)";
      std::cout << "\n";
      return 0;
    });
  });
  auto* info = group->add_subcommand("info", "Print a probe set's hash and size");
  static std::string infoPath;
  info->add_option("probeset", infoPath, "Probe set file")->required();
  info->callback([&exitCode] {
    exitCode = guarded([] {
      auto set = probes::loadProbeSet(infoPath);
      std::cout << "hash " << set.hash() << "\nsentences " << set.sentences.size() << "\nwords "
                << set.wordCount() << "\nseed " << set.seed << "\nmax_pieces " << set.maxPieces
                << "\n";
      return 0;
    });
  });
}

} // namespace chrysalis::cli
