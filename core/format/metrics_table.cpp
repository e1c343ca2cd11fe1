#include "format/metrics_table.h"

#include "format/probe_store.h"

#include <cmath>
#include <cstdio>
#include <set>
#include <sstream>

namespace chrysalis::format {

std::string MetricsTable::csv() const {
  std::ostringstream out;
  out << "step";
  for (const auto& c : columns)
    out << "," << c;
  out << "\n";
  for (size_t i = 0; i < steps.size(); ++i) {
    out << steps[i];
    for (const auto& c : columns) {
      double v = values.at(c)[i];
      out << ",";
      if (!std::isnan(v)) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.9g", v);
        out << buf;
      }
    }
    out << "\n";
  }
  return out.str();
}

MetricsTable readMetrics(const std::filesystem::path& seriesDir) {
  const auto listing = listSeries(seriesDir, ReadExtras::Yes);
  ProbeStore store(seriesDir);
  MetricsTable t;
  std::set<int64_t> stepSet;
  for (const auto& c : listing.checkpoints)
    stepSet.insert(c.step);

  // Choose one configuration per kind.
  std::map<std::string, std::pair<std::string, std::vector<int64_t>>> chosen;
  for (const auto& [hash, config] : store.configs()) {
    if (!config.is_object() || !config.contains("probe") || !config["probe"].is_string()) continue;
    const std::string kind = config["probe"].get<std::string>();
    auto steps = store.steps(hash);
    auto it = chosen.find(kind);
    if (it == chosen.end() || steps.size() > it->second.second.size()) chosen[kind] = {hash, steps};
  }
  for (const auto& [kind, hs] : chosen) {
    t.sources[kind] = hs.first;
    stepSet.insert(hs.second.begin(), hs.second.end());
  }
  t.steps.assign(stepSet.begin(), stepSet.end());
  std::map<int64_t, size_t> row;
  for (size_t i = 0; i < t.steps.size(); ++i)
    row[t.steps[i]] = i;
  auto column = [&](const std::string& name) -> std::vector<double>& {
    auto it = t.values.find(name);
    if (it == t.values.end()) {
      t.columns.push_back(name);
      it = t.values.emplace(name, std::vector<double>(t.steps.size(), std::nan(""))).first;
    }
    return it->second;
  };
  for (const auto& c : listing.checkpoints) {
    column("tokens_seen")[row[c.step]] = static_cast<double>(c.tokensSeen);
    column("train_loss")[row[c.step]] = c.trainLoss ? *c.trainLoss : std::nan("");
    for (const auto& [k, v] : c.extra)
      column(k)[row[c.step]] = v;
  }
  for (const auto& [kind, hs] : chosen)
    for (int64_t step : hs.second) {
      try {
        for (const auto& [name, v] : store.read(hs.first, step).scalars)
          column(name)[row[step]] = v;
      } catch (const std::exception&) {
        // A damaged result file: that cell stays empty.
      }
    }
  return t;
}

} // namespace chrysalis::format
