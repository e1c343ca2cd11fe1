// chrysalis-cli metrics SERIES [--csv|--json]: the timeline table, one row per step.
#include "cli/commands.h"

#include "format/metrics_table.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>

namespace chrysalis::cli {

void addMetricsCommand(CLI::App& root, int& exitCode) {
  auto* cmd =
      root.add_subcommand("metrics", "Print the timeline table of a series (one row per step)");
  cmd->footer("Example:\n  chrysalis-cli metrics runs/baseline --csv > baseline.csv");
  static std::string series;
  static bool csv = false, json = false;
  cmd->add_option("series", series, "Series folder")->required();
  auto* c = cmd->add_flag("--csv", csv, "CSV output");
  cmd->add_flag("--json", json, "JSON output")->excludes(c);
  cmd->callback([&exitCode] {
    exitCode = guarded([] {
      auto t = format::readMetrics(series);
      if (csv) {
        std::cout << t.csv();
      } else if (json) {
        nlohmann::json j{{"steps", t.steps}, {"columns", t.columns}, {"sources", t.sources}};
        for (const auto& col : t.columns) {
          nlohmann::json v = nlohmann::json::array();
          for (double x : t.values.at(col))
            v.push_back(std::isnan(x) ? nlohmann::json() : nlohmann::json(x));
          j["values"][col] = v;
        }
        std::cout << j.dump(2) << "\n";
      } else {
        std::printf("%10s", "step");
        for (const auto& col : t.columns)
          std::printf(" %14.14s", col.c_str());
        std::printf("\n");
        for (size_t i = 0; i < t.steps.size(); ++i) {
          std::printf("%10lld", static_cast<long long>(t.steps[i]));
          for (const auto& col : t.columns) {
            double x = t.values.at(col)[i];
            if (std::isnan(x))
              std::printf(" %14s", "-");
            else
              std::printf(" %14.6g", x);
          }
          std::printf("\n");
        }
      }
      return 0;
    });
  });
}

} // namespace chrysalis::cli
