#include "data/seed_group_key.h"

#include <nlohmann/json.hpp>

#include <QRegularExpression>

namespace chrysalis::ui {

QString seedGroupKey(const nlohmann::json& training, const nlohmann::json& modelConfig) {
  if (!training.is_object()) return {};
  nlohmann::json t = training;
  // The command line holds the seed, the label and the output folder.
  for (const char* key : {"seed", "label", "command_line", "out", "output", "out_dir", "output_dir",
                          "series", "series_dir"})
    t.erase(key);
  // nlohmann::json objects keep keys sorted, so the dump is canonical.
  const nlohmann::json key = {{"training", t}, {"model_config", modelConfig}};
  return QString::fromStdString(key.dump());
}

QString labelWithoutSeed(const QString& label) {
  static const QRegularExpression seed(
      QStringLiteral("[\\s,;:_-]*[(\\[]?\\s*seed[\\s=:_-]*\\d+\\s*[)\\]]?"),
      QRegularExpression::CaseInsensitiveOption);
  QString out = label;
  out.remove(seed);
  out = out.trimmed();
  return out.isEmpty() ? label : out;
}

} // namespace chrysalis::ui
