#include "format/series.h"

#include "common/error.h"
#include "common/json_bounded.h"
#include "format/atomic_file.h"
#include "format/series_paths.h"

#include <algorithm>

namespace fs = std::filesystem;

namespace chrysalis::format {

namespace {
constexpr size_t kMaxSeriesJsonBytes = 16 << 20;
}

SeriesMeta SeriesMeta::fromJson(const nlohmann::json& j, const std::string& file) {
  if (!j.is_object()) throw InputError(file, "", "series metadata is not a JSON object");
  if (!j.contains("format") || j["format"] != "chrysalis-series")
    throw InputError(file, "key 'format'", "missing or not \"chrysalis-series\"");
  if (!j.contains("format_version") || !j["format_version"].is_number_integer())
    throw InputError(file, "key 'format_version'", "missing or not an integer");
  SeriesMeta m;
  m.formatVersion = j["format_version"].get<int64_t>();
  if (m.formatVersion < 1 || m.formatVersion > kFormatVersion)
    throw InputError(file, "key 'format_version'",
                     "version " + std::to_string(m.formatVersion) +
                         " is not supported by this Chrysalis (reads up to " +
                         std::to_string(kFormatVersion) + ")");
  if (!j.contains("model_config")) throw InputError(file, "key 'model_config'", "missing");
  m.model = BertConfig::fromJson(j["model_config"], file + " (model_config)");
  auto str = [&](const char* key, std::string fallback) {
    if (!j.contains(key)) return fallback;
    if (!j[key].is_string())
      throw InputError(file, std::string("key '") + key + "'", "expected a string");
    return j[key].get<std::string>();
  };
  m.label = str("label", "");
  m.vocabFile = str("vocab_file", "vocab.txt");
  if (m.vocabFile.empty() || m.vocabFile.find('/') != std::string::npos || m.vocabFile == "..")
    throw InputError(file, "key 'vocab_file'", "must be a plain file name inside the series");
  if (j.contains("tokenizer")) {
    const auto& t = j["tokenizer"];
    if (!t.is_object()) throw InputError(file, "key 'tokenizer'", "expected an object");
    if (t.contains("do_lower_case")) {
      if (!t["do_lower_case"].is_boolean())
        throw InputError(file, "key 'tokenizer.do_lower_case'", "expected true or false");
      m.doLowerCase = t["do_lower_case"].get<bool>();
    }
  }
  if (j.contains("mlm_head")) {
    if (!j["mlm_head"].is_boolean())
      throw InputError(file, "key 'mlm_head'", "expected true or false");
    m.hasMlmHead = j["mlm_head"].get<bool>();
  }
  if (j.contains("training")) m.training = j["training"];
  if (j.contains("provenance")) m.provenance = j["provenance"];
  return m;
}

nlohmann::json SeriesMeta::toJson() const {
  nlohmann::json j{{"format", "chrysalis-series"},
                   {"format_version", formatVersion},
                   {"label", label},
                   {"model_config", model.toJson()},
                   {"vocab_file", vocabFile},
                   {"tokenizer", {{"do_lower_case", doLowerCase}}},
                   {"training", training},
                   {"provenance", provenance}};
  if (!hasMlmHead) j["mlm_head"] = false;
  return j;
}

const CheckpointInfo* SeriesListing::find(int64_t step) const {
  auto it = std::lower_bound(checkpoints.begin(), checkpoints.end(), step,
                             [](const CheckpointInfo& c, int64_t s) { return c.step < s; });
  return it != checkpoints.end() && it->step == step ? &*it : nullptr;
}

SeriesMeta readSeriesMeta(const fs::path& dir) {
  fs::path file = dir / kSeriesFile;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw InputError(dir.string(), "", "not a folder");
  if (!fs::exists(file, ec))
    throw InputError(dir.string(), "", "not a Chrysalis series (no series.json)");
  const std::string text = readSmallFile(file, kMaxSeriesJsonBytes);
  return SeriesMeta::fromJson(parseJsonBounded(text, file.string()), file.string());
}

SeriesListing listSeries(const fs::path& dir, ReadExtras extras) {
  SeriesListing listing;
  listing.dir = dir;
  listing.meta = readSeriesMeta(dir);
  std::error_code ec;
  fs::path cdir = dir / kCheckpointDir;
  if (!fs::is_directory(cdir, ec)) return listing;
  for (const auto& entry : fs::directory_iterator(cdir, ec)) {
    const std::string name = entry.path().filename().string();
    if (isTemporaryName(entry.path())) continue;
    if (isNonCanonicalStepName(name)) {
      listing.problems.push_back(entry.path().string() +
                                 ": not a canonical step file name (step-NNNNNNNNNN.h5, ten "
                                 "digits): ignored, so that no step is listed twice");
      continue;
    }
    if (!stepFromFileName(name)) continue;
    try {
      CheckpointReader reader(entry.path(), extras);
      CheckpointInfo info = reader.info();
      if (info.step != *stepFromFileName(name))
        throw InputError(entry.path().string(), "attribute 'step'",
                         "step " + std::to_string(info.step) + " does not match the file name");
      listing.checkpoints.push_back(std::move(info));
    } catch (const std::exception& e) {
      listing.problems.emplace_back(e.what());
    }
  }
  std::sort(listing.checkpoints.begin(), listing.checkpoints.end(),
            [](const CheckpointInfo& a, const CheckpointInfo& b) { return a.step < b.step; });
  std::sort(listing.problems.begin(), listing.problems.end());
  return listing;
}

void createSeries(const fs::path& dir, const SeriesMeta& meta, const std::string& vocabContents) {
  std::error_code ec;
  if (fs::exists(dir / kSeriesFile, ec))
    throw InputError(dir.string(), "", "a series already exists here");
  fs::create_directories(dir, ec);
  if (ec) throw InputError(dir.string(), "", "cannot create folder: " + ec.message());
  createFolderInsideSeries(dir, dir / kCheckpointDir);
  writeFileAtomically(vocabPath(dir, meta), vocabContents);
  writeSeriesMeta(dir, meta);
}

void writeSeriesMeta(const fs::path& dir, const SeriesMeta& meta) {
  writeFileAtomically(dir / kSeriesFile, meta.toJson().dump(2) + "\n");
}

fs::path checkpointPath(const fs::path& dir, int64_t step) {
  return dir / kCheckpointDir / checkpointFileName(step);
}

fs::path vocabPath(const fs::path& dir, const SeriesMeta& meta) {
  return dir / meta.vocabFile;
}

} // namespace chrysalis::format
