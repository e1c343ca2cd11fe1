// chrysalis-cli info SERIES [--json]: model config, checkpoints and their
// attributes, and which probe results exist. Reads no tensors.
#include "cli/commands.h"

#include "format/probe_store.h"
#include "format/series.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <set>

namespace chrysalis::cli {

namespace {

// Steps train --densify added (series.json provenance.densified[].added).
std::set<int64_t> densifiedSteps(const format::SeriesMeta& meta) {
  std::set<int64_t> out;
  if (!meta.provenance.is_object() || !meta.provenance.contains("densified")) return out;
  for (const auto& entry : meta.provenance["densified"])
    if (entry.is_object() && entry.contains("added") && entry["added"].is_array())
      for (const auto& s : entry["added"])
        if (s.is_number_integer()) out.insert(s.get<int64_t>());
  return out;
}

nlohmann::json listingJson(const format::SeriesListing& l) {
  const auto densified = densifiedSteps(l.meta);
  nlohmann::json j = l.meta.toJson();
  j["path"] = l.dir.string();
  j["checkpoints"] = nlohmann::json::array();
  for (const auto& c : l.checkpoints) {
    nlohmann::json cj{{"step", c.step},
                      {"tokens_seen", c.tokensSeen},
                      {"wall_time", c.wallTime},
                      {"learning_rate", c.learningRate},
                      {"has_weights", c.hasWeights},
                      {"densified", densified.count(c.step) > 0}};
    if (c.trainLoss) cj["train_loss"] = *c.trainLoss;
    for (const auto& [k, v] : c.extra)
      cj[k] = v;
    j["checkpoints"].push_back(cj);
  }
  format::ProbeStore store(l.dir);
  j["probe_results"] = nlohmann::json::array();
  for (const auto& [hash, config] : store.configs())
    j["probe_results"].push_back(
        {{"config_hash", hash}, {"config", config}, {"steps", store.steps(hash)}});
  j["problems"] = l.problems;
  j["linked_sources"] = l.meta.provenance.is_object()
                            ? l.meta.provenance.value("linked_sources", nlohmann::json::array())
                            : nlohmann::json::array();
  return j;
}

void printText(const format::SeriesListing& l) {
  const auto& m = l.meta.model;
  std::cout << "series      " << l.dir.string() << "\n"
            << "label       " << l.meta.label << "\n"
            << "model       BERT " << m.numHiddenLayers << " layers x " << m.numAttentionHeads
            << " heads, hidden " << m.hiddenSize << ", ffn " << m.intermediateSize << ", vocab "
            << m.vocabSize << ", positions " << m.maxPositionEmbeddings << " ("
            << m.parameterCount() << " parameters)\n"
            << "checkpoints " << l.checkpoints.size() << "\n";
  std::printf("  %10s %14s %10s %12s %10s %s\n", "step", "tokens", "wall (s)", "lr", "loss",
              "weights");
  const auto densified = densifiedSteps(l.meta);
  for (const auto& c : l.checkpoints)
    std::printf("  %10lld %14lld %10.1f %12.4g %10s %s%s\n", static_cast<long long>(c.step),
                static_cast<long long>(c.tokensSeen), c.wallTime, c.learningRate,
                c.trainLoss ? std::to_string(*c.trainLoss).substr(0, 8).c_str() : "-",
                c.hasWeights ? "yes" : "no", densified.count(c.step) ? " (densified)" : "");
  format::ProbeStore store(l.dir);
  for (const auto& [hash, config] : store.configs())
    std::cout << "probe results " << hash << ": " << store.steps(hash).size() << " steps\n";
  // A series imported with --link reads its weights from these files.
  if (l.meta.provenance.is_object() && l.meta.provenance.contains("linked_sources")) {
    const auto& linked = l.meta.provenance["linked_sources"];
    std::cout << "linked to   " << linked.size()
              << " source file(s) (import-hf --link: they must stay in place)\n";
    for (const auto& f : linked)
      if (f.is_object()) std::cout << "  " << f.value("path", "") << "\n";
  }
  for (const auto& p : l.problems)
    std::cerr << "warning: " << p << "\n";
}

} // namespace

void addInfoCommand(CLI::App& root, int& exitCode) {
  auto* cmd = root.add_subcommand("info", "Describe a series: model, checkpoints, probe results");
  cmd->footer("Example:\n  chrysalis-cli info runs/baseline --json");
  static std::string series;
  static bool json = false;
  cmd->add_option("series", series, "Series folder")->required();
  cmd->add_flag("--json", json, "Print JSON instead of a table");
  cmd->callback([&exitCode] {
    exitCode = guarded([] {
      auto listing = format::listSeries(series, format::ReadExtras::Yes);
      if (json)
        std::cout << listingJson(listing).dump(2) << "\n";
      else
        printText(listing);
      return 0;
    });
  });
}

} // namespace chrysalis::cli
