// chrysalis-cli import-hf DIR... --out SERIES: Hugging Face checkpoint
// folders (config.json + model.safetensors) become a Chrysalis series.
#include "cli/commands.h"

#include "format/hf_import.h"

#include <iostream>

namespace chrysalis::cli {

void addImportHfCommand(CLI::App& root, int& exitCode) {
  auto* cmd =
      root.add_subcommand("import-hf", "Import Hugging Face checkpoint folders as a series");
  cmd->footer(
      "Each DIR holds config.json and model.safetensors (F32, F16 or BF16); the step comes\n"
      "from trainer_state.json or a checkpoint-N folder name.\n"
      "Example:\n  chrysalis-cli import-hf run/checkpoint-* --vocab run/vocab.txt --out "
      "series/run");
  static std::vector<std::string> dirs;
  static format::HfImportOptions options;
  static std::string out, vocab;
  static bool cased = false;
  cmd->add_option("dirs", dirs, "Checkpoint folders")->required();
  cmd->add_option("--out", out, "New series folder")->required();
  cmd->add_option("--vocab", vocab, "vocab.txt (default: the first folder's vocab.txt)");
  cmd->add_option("--label", options.label, "Run label (default: the series folder name)");
  cmd->add_flag("--cased", cased, "The tokenizer keeps case (do_lower_case = false)");
  cmd->callback([&exitCode] {
    exitCode = guarded([] {
      options.out = out;
      if (!vocab.empty()) options.vocab = vocab;
      options.doLowerCase = !cased;
      std::vector<std::filesystem::path> paths(dirs.begin(), dirs.end());
      auto steps = format::importHf(paths, options, [](size_t done, size_t total) {
        std::cerr << "\rimported " << done << "/" << total << std::flush;
      });
      std::cerr << "\n";
      std::cout << "wrote " << steps.size() << " checkpoints to " << out << "\n";
      return 0;
    });
  });
}

} // namespace chrysalis::cli
