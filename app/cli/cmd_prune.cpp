// chrysalis-cli prune-weights SERIES (--keep-steps a,b,c | --keep-log N):
// keep every checkpoint's attributes and probe results, drop most weights.
#include "cli/commands.h"

#include "format/prune.h"
#include "format/series.h"

#include <iostream>

namespace chrysalis::cli {

void addPruneCommand(CLI::App& root, int& exitCode) {
  auto* cmd = root.add_subcommand(
      "prune-weights",
      "Drop the weights of all but some checkpoints (attributes and results stay)");
  cmd->footer("Example:\n  chrysalis-cli prune-weights runs/baseline --keep-log 4");
  static std::string series;
  static std::vector<int64_t> keep;
  static size_t keepLog = 0;
  cmd->add_option("series", series, "Series folder")->required();
  auto* k = cmd->add_option("--keep-steps", keep, "Steps whose weights stay")->delimiter(',');
  cmd->add_option("--keep-log", keepLog, "Keep N log-spaced steps (first and last included)")
      ->excludes(k);
  cmd->callback([&exitCode] {
    exitCode = guarded([] {
      std::vector<int64_t> steps;
      for (const auto& c : format::listSeries(series).checkpoints)
        if (c.hasWeights) steps.push_back(c.step);
      if (keepLog > 0) keep = format::logSpacedSteps(steps, keepLog);
      if (keep.empty()) throw std::invalid_argument("give --keep-steps or --keep-log");
      auto n = format::pruneWeights(series, keep);
      std::cout << "pruned the weights of " << n << " checkpoints; kept";
      for (auto s : keep)
        std::cout << " " << s;
      std::cout << "\n";
      return 0;
    });
  });
}

} // namespace chrysalis::cli
