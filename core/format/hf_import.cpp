#include "format/hf_import.h"

#include "common/error.h"
#include "common/json_bounded.h"
#include "format/atomic_file.h"
#include "format/bert_config.h"
#include "format/safetensors.h"
#include "format/series.h"
#include "format/series_paths.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

namespace fs = std::filesystem;

namespace chrysalis::format {

namespace {
constexpr size_t kMaxJsonBytes = 64 << 20;
constexpr size_t kMaxVocabBytes = 64 << 20;

nlohmann::json readJson(const fs::path& p) {
  return parseJsonBounded(readSmallFile(p, kMaxJsonBytes), p.string());
}

struct Source {
  fs::path dir;
  int64_t step = 0;
  BertConfig config;
};

// The safetensors entry for each parameter, checked against the config.
std::vector<SafetensorsEntry> matchTensors(const SafetensorsFile& st,
                                           const std::vector<ParameterSpec>& specs) {
  std::vector<SafetensorsEntry> out;
  for (const auto& spec : specs) {
    const SafetensorsEntry* e = st.header().find(spec.name);
    if (!e && spec.name == "cls.predictions.bias")
      e = st.header().find("cls.predictions.decoder.bias");
    if (!e) throw InputError(st.path(), "tensor '" + spec.name + "'", "missing");
    if (!isWeightDType(e->dtype))
      throw InputError(st.path(), "tensor '" + e->name + "'",
                       "dtype " + safetensorsName(e->dtype) + " is not F32, F16 or BF16");
    if (e->shape != spec.shape)
      throw InputError(st.path(), "tensor '" + e->name + "'", "shape does not match config.json");
    out.push_back(*e);
  }
  return out;
}
} // namespace

int64_t hfCheckpointStep(const fs::path& dir) {
  fs::path state = dir / "trainer_state.json";
  std::error_code ec;
  if (fs::exists(state, ec)) {
    auto j = readJson(state);
    if (!j.is_object() || !j.contains("global_step") || !j["global_step"].is_number_unsigned())
      throw InputError(state.string(), "key 'global_step'",
                       "missing or not a non-negative integer");
    return j["global_step"].get<int64_t>();
  }
  std::string name = (dir.filename().empty() ? dir.parent_path() : dir).filename().string();
  const std::string prefix = "checkpoint-";
  if (name.rfind(prefix, 0) == 0 && name.size() > prefix.size() &&
      name.size() < prefix.size() + 18 &&
      std::all_of(name.begin() + static_cast<long>(prefix.size()), name.end(), ::isdigit))
    return std::stoll(name.substr(prefix.size()));
  throw InputError(dir.string(), "",
                   "cannot tell the step: no trainer_state.json and not named checkpoint-N");
}

std::vector<int64_t> importHf(const std::vector<fs::path>& dirs, const HfImportOptions& options,
                              const std::function<void(size_t, size_t)>& progress) {
  if (dirs.empty()) throw std::invalid_argument("no checkpoint folders given");
  // Check every folder before writing anything.
  std::vector<Source> sources;
  std::map<int64_t, fs::path> seen;
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw InputError(dir.string(), "", "not a folder");
    Source s{dir, hfCheckpointStep(dir),
             BertConfig::fromJson(readJson(dir / "config.json"), (dir / "config.json").string())};
    if (!sources.empty() && !(s.config == sources.front().config))
      throw InputError((dir / "config.json").string(), "",
                       "model config differs from " +
                           (sources.front().dir / "config.json").string());
    if (auto it = seen.find(s.step); it != seen.end())
      throw InputError(dir.string(), "",
                       "step " + std::to_string(s.step) + " also comes from " +
                           it->second.string());
    seen[s.step] = dir;
    sources.push_back(std::move(s));
  }
  std::sort(sources.begin(), sources.end(),
            [](const Source& a, const Source& b) { return a.step < b.step; });
  const auto specs = bertParameterSpecs(sources.front().config);
  for (const auto& s : sources)
    matchTensors(SafetensorsFile(s.dir / "model.safetensors"), specs);

  fs::path vocab = options.vocab ? *options.vocab : sources.front().dir / "vocab.txt";
  std::error_code ec;
  if (!fs::exists(vocab, ec))
    throw InputError(vocab.string(), "",
                     "no vocabulary: pass --vocab FILE (the tokenizer's vocab.txt)");
  SeriesMeta meta;
  meta.label = options.label.empty() ? options.out.filename().string() : options.label;
  meta.model = sources.front().config;
  meta.doLowerCase = options.doLowerCase;
  meta.provenance = {{"importer", "chrysalis-cli import-hf"}};
  for (const auto& s : sources)
    meta.provenance["sources"].push_back(fs::absolute(s.dir).string());
  createSeries(options.out, meta, readSmallFile(vocab, kMaxVocabBytes));

  std::vector<int64_t> written;
  for (size_t i = 0; i < sources.size(); ++i) {
    const Source& s = sources[i];
    SafetensorsFile st(s.dir / "model.safetensors");
    const auto entries = matchTensors(st, specs);
    std::vector<std::vector<char>> buffers;
    std::vector<TensorBlob> blobs;
    buffers.reserve(entries.size());
    for (size_t k = 0; k < entries.size(); ++k) {
      buffers.emplace_back(entries[k].end - entries[k].begin);
      st.read(entries[k], buffers.back().data());
      blobs.push_back({specs[k].name, entries[k].dtype, entries[k].shape, buffers.back().data()});
    }
    CheckpointInfo info;
    info.step = s.step;
    const fs::path target = checkpointPath(options.out, s.step);
    requireInsideSeries(options.out, target.parent_path());
    writeCheckpoint(target, info, blobs);
    written.push_back(s.step);
    if (progress) progress(i + 1, sources.size());
  }
  return written;
}

} // namespace chrysalis::format
