// chrysalis-cli import-hf DIR... --out SERIES: Hugging Face checkpoints
// (single folders or Trainer output folders; safetensors or pytorch_model.bin,
// sharded or not) become a Chrysalis series; --watch follows a run that is
// still training and imports each checkpoint-N once the Trainer has finished it.
#include "cli/commands.h"

#include "common/error.h"
#include "format/engine_events.h"
#include "format/hf_import.h"
#include "format/series.h"
#include "train/interrupt.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <iostream>
#include <set>
#include <thread>

namespace fs = std::filesystem;

namespace chrysalis::cli {

namespace {
struct ImportArgs {
  std::vector<std::string> dirs;
  format::HfImportOptions options;
  std::string out, vocab;
  bool cased = false, uncased = false, json = false, watch = false;
  double poll = 2.0;
};

void printCheckpoint(const ImportArgs& a, int64_t step, size_t done, size_t total) {
  if (a.json) {
    nlohmann::json j{{"event", format::engineEventName(format::EngineEventType::Checkpoint)},
                     {"step", step},
                     {"path", format::checkpointPath(a.out, step).string()},
                     {"done", done},
                     {"total", total}};
    std::cout << j.dump() << std::endl;
  } else {
    std::cerr << "\rimported " << done << "/" << total << std::flush;
  }
}

// Imports the finished checkpoints not yet tried, one by one, so that one bad
// folder is reported once and does not hold up the rest; returns how many.
size_t importNew(ImportArgs& a, std::set<fs::path>& tried) {
  a.options.append = true;
  size_t n = 0;
  for (const auto& dir : format::expandHfFolders({a.dirs.begin(), a.dirs.end()}, true)) {
    if (!tried.insert(dir).second) continue;
    try {
      n += format::importHf({dir}, a.options, [&](int64_t step, size_t i, size_t total) {
             printCheckpoint(a, step, i, total);
           }).size();
    } catch (const InputError& e) {
      std::cerr << "error: " << e.what() << " (skipped; still following)\n";
    }
  }
  return n;
}

int watch(ImportArgs& a) {
  const auto& interrupted = train::installInterruptHandlers();
  std::set<fs::path> done;
  std::cerr << "following " << a.dirs.front() << " (Ctrl-C to stop)\n";
  while (!interrupted) {
    if (size_t n = importNew(a, done); n > 0 && !a.json)
      std::cerr << "\n" << n << " new checkpoint(s) in " << a.out << "\n";
    for (int i = 0; i < static_cast<int>(a.poll * 10) && !interrupted; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::cerr << "stopped following " << a.dirs.front() << "\n";
  return 0;
}
} // namespace

void addImportHfCommand(CLI::App& root, int& exitCode) {
  auto* cmd = root.add_subcommand("import-hf", "Import Hugging Face checkpoints as a series");
  cmd->footer(
      "Each DIR is a checkpoint folder (config.json plus model.safetensors, pytorch_model.bin,\n"
      "or shards listed by model.safetensors.index.json / pytorch_model.bin.index.json) or a\n"
      "Trainer output folder (every checkpoint-N/ inside, in step order). The step comes from\n"
      "trainer_state.json or the checkpoint-N name; the newest trainer_state.json's log_history\n"
      "becomes the series' training log. pytorch_model.bin is read as data only: a pickle that\n"
      "names anything but tensors and plain containers is refused, never run.\n"
      "Examples:\n  chrysalis-cli import-hf output_dir --out series/run\n"
      "  chrysalis-cli import-hf output_dir --out series/run --watch   # while it trains");
  static ImportArgs a;
  cmd->add_option("dirs", a.dirs, "Checkpoint or Trainer output folders")->required();
  cmd->add_option("--out", a.out, "Series folder")->required();
  cmd->add_option("--vocab", a.vocab,
                  "vocab.txt (default: the checkpoint's, else its Trainer folder's)");
  cmd->add_option("--label", a.options.label, "Run label (default: the series folder name)");
  auto* cased = cmd->add_flag("--cased", a.cased, "The tokenizer keeps case (do_lower_case false)");
  cmd->add_flag("--uncased", a.uncased,
                "The tokenizer lower-cases (default when no "
                "tokenizer_config.json says otherwise)")
      ->excludes(cased);
  cmd->add_flag("--link", a.options.link,
                "Do not copy the weights: the series refers to the source files' bytes (they "
                "must stay where they are; a moved or changed file is an error)");
  cmd->add_flag("--append", a.options.append,
                "Add to an existing series of the same model, skipping steps it has");
  cmd->add_flag("--watch", a.watch,
                "Keep following the folder: import each new checkpoint-N once the Trainer "
                "has finished writing it, until interrupted");
  cmd->add_option("--poll", a.poll, "Seconds between looks with --watch")
      ->check(CLI::Range(0.1, 3600.0));
  cmd->add_flag("--json", a.json, "Progress as JSON event lines on stdout");
  cmd->callback([&exitCode] {
    exitCode = guarded([] {
      a.options.out = a.out;
      if (!a.vocab.empty()) a.options.vocab = a.vocab;
      if (a.cased) a.options.doLowerCase = false;
      if (a.uncased) a.options.doLowerCase = true;
      a.options.notice = [](const std::string& s) { std::cerr << "note: " << s << "\n"; };
      if (a.watch) return watch(a);
      std::vector<fs::path> given(a.dirs.begin(), a.dirs.end());
      const auto folders = format::expandHfFolders(given);
      auto steps = format::importHf(folders, a.options, [](int64_t step, size_t i, size_t n) {
        printCheckpoint(a, step, i, n);
      });
      if (!a.json) std::cerr << "\n";
      std::cout << "wrote " << steps.size() << " checkpoints to " << a.out << "\n";
      return 0;
    });
  });
}

} // namespace chrysalis::cli
