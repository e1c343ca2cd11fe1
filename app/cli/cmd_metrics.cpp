// chrysalis-cli metrics SERIES [--csv|--json] [--train-log]: the timeline table (one
// row per checkpoint step), or the dense training log (one row per logged step).
#include "cli/commands.h"

#include "common/error.h"
#include "format/metrics_table.h"
#include "format/train_log.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>

namespace chrysalis::cli {

namespace {
format::MetricsTable fromTrainLog(const std::string& series) {
  auto log = format::readTrainLog(series);
  if (!log)
    throw InputError(series, format::kTrainLogFile,
                     "this series has no training log (written by chrysalis-cli train and "
                     "import-hf from trainer_state.json)");
  format::MetricsTable t;
  t.steps = log->step;
  t.columns = log->columnOrder();
  t.values = log->columns;
  t.sources["train_log"] = log->source;
  return t;
}
} // namespace

void addMetricsCommand(CLI::App& root, int& exitCode) {
  auto* cmd =
      root.add_subcommand("metrics", "Print the timeline table of a series (one row per step)");
  cmd->footer("Examples:\n  chrysalis-cli metrics runs/baseline --csv > baseline.csv\n"
              "  chrysalis-cli metrics runs/baseline --train-log --csv > baseline-train.csv");
  static std::string series;
  static bool csv = false, json = false, trainLog = false;
  cmd->add_option("series", series, "Series folder")->required();
  auto* c = cmd->add_flag("--csv", csv, "CSV output");
  cmd->add_flag("--json", json, "JSON output")->excludes(c);
  cmd->add_flag("--train-log", trainLog,
                "The dense training log (train_log.h5: train_loss, learning_rate, ... per step)");
  cmd->callback([&exitCode] {
    exitCode = guarded([] {
      auto t = trainLog ? fromTrainLog(series) : format::readMetrics(series);
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
