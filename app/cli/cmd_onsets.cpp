// chrysalis-cli onsets SERIES [--json] | onsets --metrics FILE.csv --column uas ...
// Structure onset (UAS), capabilities onset (BLiMP, after it), UAS plateau,
// per-head emergence steps, and bootstrap intervals over probe items.
#include "cli/commands.h"

#include "format/metrics_table.h"
#include "format/probe_store.h"
#include "onset/bootstrap.h"
#include "onset/csv.h"
#include "onset/detector.h"
#include "onset/head_emergence.h"
#include "onset/onsets.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <iostream>

namespace chrysalis::cli {

namespace {

nlohmann::json onsetJson(const std::optional<onset::Onset>& o) {
  if (!o) return nullptr;
  nlohmann::json j{{"step", o->step}, {"score", o->score}, {"method", o->method}};
  if (o->lowStep) j["low_step"] = *o->lowStep;
  if (o->highStep) j["high_step"] = *o->highStep;
  if (o->agreement) j["agreement"] = *o->agreement;
  return j;
}

void printOnset(const std::string& name, const std::optional<onset::Onset>& o,
                const std::string& noneReason = {}) {
  std::cout << name << ": ";
  if (!o) {
    std::cout << "no onset" << (noneReason.empty() ? "" : " (" + noneReason + ")") << "\n";
    return;
  }
  std::cout << "step " << o->step;
  if (o->lowStep && o->highStep)
    std::cout << " (90% interval " << *o->lowStep << "-" << *o->highStep << ")";
  std::cout << "  [" << o->method << "]\n";
}

onset::Curve columnCurve(const format::MetricsTable& t, const std::string& name) {
  std::vector<double> v(t.steps.size(), std::nan(""));
  if (t.values.count(name)) v = t.values.at(name);
  return onset::Curve(t.steps, v);
}

// Per-item scores from stored arrays, one row per step with that result.
std::optional<onset::ItemScores> itemScores(const format::ProbeStore& store,
                                            const std::string& hash, const std::string& kind) {
  std::vector<int64_t> steps;
  std::vector<double> values, weights;
  size_t columns = 0;
  for (int64_t step : store.steps(hash)) {
    auto r = store.read(hash, step);
    std::vector<double> row, w;
    if (kind == "uas") {
      const auto& c = r.arrays.at("uas/sentence_correct").values;
      const auto& n = r.arrays.at("uas/sentence_words").values;
      for (size_t i = 0; i < c.size(); ++i) {
        row.push_back(n[i] > 0 ? c[i] / n[i] : std::nan(""));
        w.push_back(n[i]);
      }
    } else {
      const auto& g = r.arrays.at("blimp/pll_good").values;
      const auto& b = r.arrays.at("blimp/pll_bad").values;
      const auto& task = r.arrays.at("blimp/pair_task").values;
      std::map<double, double> perTask;
      for (double k : task)
        perTask[k] += 1;
      for (size_t i = 0; i < g.size(); ++i) {
        row.push_back(g[i] > b[i] ? 1.0 : 0.0);
        w.push_back(1.0 / perTask[task[i]]); // the mean over tasks
      }
    }
    if (columns == 0) {
      columns = row.size();
      weights = w;
    }
    if (row.size() != columns) continue;
    steps.push_back(step);
    values.insert(values.end(), row.begin(), row.end());
  }
  if (steps.size() < 3 || columns == 0) return std::nullopt;
  return onset::ItemScores{onset::CheckpointMatrix(steps, columns, values), weights};
}

} // namespace

void addOnsetsCommand(CLI::App& root, int& exitCode) {
  auto* cmd = root.add_subcommand(
      "onsets", "Find the structure and capabilities onsets of a series or a CSV");
  cmd->footer(
      "Default detector (docs/method.md, \"Onset detectors\"): a logistic rise fitted on the step\n"
      "and log-step axes; its turn is the onset only when it beats every fit without one by a\n"
      "noise-scaled margin, otherwise \"no onset\" and why. --detector second-derivative is the\n"
      "paper's (sharpest upward turn of the slope); --smooth BW smooths it in log-step space.\n"
      "Examples:\n  chrysalis-cli onsets runs/baseline --bootstrap 200 --json\n"
      "  chrysalis-cli onsets --metrics run.csv --step-column step --column uas --falling-column "
      "loss");
  static std::string series, metrics, stepColumn = "step", detector = "logistic";
  static std::vector<std::string> columns, fallingColumns;
  static bool json = false;
  static double smooth = 0;
  static size_t bootstrap = 0;
  cmd->add_option("series", series, "Series folder");
  cmd->add_option("--metrics", metrics, "A CSV of curves instead of a series");
  cmd->add_option("--step-column", stepColumn, "Step column of the CSV")->capture_default_str();
  cmd->add_option("--column", columns, "Rising metric column(s) of the CSV");
  cmd->add_option("--falling-column", fallingColumns, "Falling metric column(s) (e.g. loss)");
  cmd->add_option("--detector", detector, "logistic | second-derivative | hinge | three-segment")
      ->capture_default_str();
  cmd->add_option("--smooth", smooth, "Gaussian smoothing bandwidth in log-step units (0 = none)");
  cmd->add_option("--bootstrap", bootstrap,
                  "Resamples of probe items for confidence intervals (series only)");
  cmd->add_flag("--json", json, "JSON output");
  cmd->callback([&exitCode] {
    exitCode = guarded([] {
      onset::DetectorOptions det =
          smooth > 0 ? onset::logStepSmoothed(smooth) : onset::DetectorOptions{};
      // --smooth names the smoothed second derivative (the logistic fit needs no smoothing).
      if (smooth > 0 && detector == "logistic") detector = "second-derivative";
      if (detector == "second-derivative")
        det.method = onset::Method::SecondDerivative;
      else if (detector == "hinge")
        det.method = onset::Method::HingeFit;
      else if (detector == "three-segment")
        det.method = onset::Method::ThreeSegmentFit;
      else if (detector != "logistic")
        throw std::invalid_argument("unknown --detector " + detector);
      nlohmann::json out;
      if (!metrics.empty()) {
        auto table = onset::CsvTable::read(metrics);
        if (columns.empty() && fallingColumns.empty())
          throw std::invalid_argument("give --column or --falling-column");
        for (const auto& [list, falling] :
             {std::pair{&columns, false}, std::pair{&fallingColumns, true}})
          for (const auto& col : *list) {
            auto d = det;
            d.falling = falling;
            auto o = onset::detect(table.curve(stepColumn, col), d);
            out["columns"][col] = onsetJson(o.onset);
            if (!o.onset) out["columns_none_reason"][col] = o.noOnsetReason;
            if (!json) printOnset(col, o.onset, o.noOnsetReason);
          }
      } else {
        if (series.empty()) throw std::invalid_argument("give a SERIES or --metrics FILE.csv");
        auto table = format::readMetrics(series);
        onset::OnsetOptions opts;
        opts.detector = det;
        auto uas = columnCurve(table, "uas"), blimp = columnCurve(table, "blimp");
        onset::OnsetReport report = onset::findOnsets(uas, blimp, opts);
        format::ProbeStore store(series);
        if (bootstrap > 0 && table.sources.count("uas")) {
          auto u = itemScores(store, table.sources.at("uas"), "uas");
          std::optional<onset::ItemScores> b;
          if (table.sources.count("blimp"))
            b = itemScores(store, table.sources.at("blimp"), "blimp");
          if (u) {
            onset::BootstrapOptions bo;
            bo.resamples = bootstrap;
            auto empty = onset::ItemScores{
                onset::CheckpointMatrix(u->scores.steps(), 1,
                                        std::vector<double>(u->scores.rows(), std::nan(""))),
                {1.0}};
            report = onset::bootstrapOnsets(*u, b ? *b : empty, opts, bo).report;
          }
        }
        out["structure"] = onsetJson(report.structure);
        out["capabilities"] = onsetJson(report.capabilities);
        out["plateau"] = onsetJson(report.plateau);
        if (!report.structure) out["structure_none_reason"] = report.structureNone;
        if (!report.capabilities) out["capabilities_none_reason"] = report.capabilitiesNone;
        out["detector"] = onset::describe(det);
        if (table.values.count("loss")) {
          auto d = det;
          d.falling = true;
          auto drop = onset::detect(columnCurve(table, "loss"), d);
          out["loss_drop"] = onsetJson(drop.onset);
          if (!drop.onset) out["loss_drop_none_reason"] = drop.noOnsetReason;
        }
        // Per-head emergence from each step's best-relation accuracy.
        if (table.sources.count("uas")) {
          const auto& hash = table.sources.at("uas");
          std::vector<int64_t> steps;
          std::vector<double> values;
          std::vector<int64_t> shape;
          for (int64_t s : store.steps(hash)) {
            auto r = store.read(hash, s);
            const auto& a = r.arrays.at("uas/head_best");
            if (shape.empty()) shape = a.shape;
            if (a.shape != shape) continue;
            steps.push_back(s);
            values.insert(values.end(), a.values.begin(), a.values.end());
          }
          if (steps.size() >= 3 && shape.size() == 2) {
            onset::HeadEmergenceOptions ho;
            ho.detector = det;
            auto heads = onset::headEmergence(
                onset::CheckpointMatrix(steps, static_cast<size_t>(shape[0] * shape[1]), values),
                ho);
            nlohmann::json grid = nlohmann::json::array();
            for (double s : onset::emergenceSteps(heads))
              grid.push_back(std::isnan(s) ? nlohmann::json() : nlohmann::json(s));
            out["head_emergence"] = {{"shape", shape}, {"steps", grid}};
          }
        }
        if (!json) {
          std::cout << "detector: " << out["detector"].get<std::string>() << "\n";
          printOnset("structure onset (UAS)", report.structure, report.structureNone);
          printOnset("capabilities onset (BLiMP)", report.capabilities, report.capabilitiesNone);
          printOnset("UAS plateau", report.plateau);
        }
      }
      if (json) std::cout << out.dump(2) << "\n";
      return 0;
    });
  });
}

} // namespace chrysalis::cli
