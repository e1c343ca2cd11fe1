#include "format/hf_import.h"

#include "common/error.h"
#include "common/json_bounded.h"
#include "format/atomic_file.h"
#include "format/bert_config.h"
#include "format/hf_checkpoint.h"
#include "format/series.h"
#include "format/series_paths.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <set>

namespace fs = std::filesystem;

namespace chrysalis::format {

namespace {
constexpr size_t kMaxJsonBytes = 64 << 20;
constexpr size_t kMaxVocabBytes = 64 << 20;

nlohmann::json readJson(const fs::path& p) {
  return parseJsonBounded(readSmallFile(p, kMaxJsonBytes), p.string());
}

bool present(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p, ec);
}

// N of a folder named checkpoint-N, else nullopt.
std::optional<int64_t> checkpointNumber(const fs::path& dir) {
  const std::string name = (dir.filename().empty() ? dir.parent_path() : dir).filename().string();
  const std::string prefix = "checkpoint-";
  if (name.rfind(prefix, 0) != 0 || name.size() == prefix.size() ||
      name.size() >= prefix.size() + 18 ||
      !std::all_of(name.begin() + static_cast<long>(prefix.size()), name.end(), ::isdigit))
    return std::nullopt;
  return std::stoll(name.substr(prefix.size()));
}

struct Source {
  fs::path dir;
  int64_t step = 0;
  BertConfig config;
};

// The tensors to copy from one checkpoint, in parameter order, checked
// against the config. Head parameters are skipped when `withHead` is false.
std::vector<const HfTensor*> matchTensors(const HfCheckpoint& ck,
                                          const std::vector<ParameterSpec>& specs, bool withHead) {
  std::vector<const HfTensor*> out;
  for (const auto& spec : specs) {
    if (!withHead && isMlmHeadParameter(spec.name)) continue;
    const HfTensor* t = ck.find(spec.name);
    const std::string where = ck.dir().string() + " (" + ck.layout() + ")";
    if (!t) throw InputError(where, "tensor '" + spec.name + "'", "missing");
    const std::string file = ck.files()[t->file].string();
    if (!isWeightDType(t->dtype))
      throw InputError(file, "tensor '" + t->storedName + "'",
                       "dtype " + dtypeName(t->dtype) + " is not float32, float16 or bfloat16");
    if (t->shape != spec.shape)
      throw InputError(file, "tensor '" + t->storedName + "'", "shape does not match config.json");
    out.push_back(t);
  }
  return out;
}

bool hasAnyHeadTensor(const HfCheckpoint& ck, const std::vector<ParameterSpec>& specs) {
  return std::any_of(specs.begin(), specs.end(), [&](const ParameterSpec& s) {
    return isMlmHeadParameter(s.name) && ck.find(s.name);
  });
}

// What a user should hear once about tensors left behind.
std::string describeIgnored(const std::set<std::string>& names) {
  bool pooler = false, nsp = false;
  std::vector<std::string> other;
  for (const auto& n : names) {
    const auto c = canonicalBertName(n);
    const std::string name = c ? *c : n;
    if (name.find("pooler.") != std::string::npos)
      pooler = true;
    else if (name.rfind("cls.seq_relationship.", 0) == 0)
      nsp = true;
    else if (name.find("position_ids") == std::string::npos &&
             name != "cls.predictions.decoder.weight")
      other.push_back(n);
  }
  std::string s;
  if (pooler || nsp)
    s = std::string("ignoring ") +
        (pooler && nsp ? "the pooler and the next-sentence head"
         : pooler      ? "the pooler"
                       : "the next-sentence head") +
        " (BertForPreTraining): Chrysalis uses BertForMaskedLM's tensors";
  if (!other.empty()) {
    if (!s.empty()) s += "; ";
    s += "ignoring " + std::to_string(other.size()) + " other tensor(s): " + other.front();
    if (other.size() > 1) s += ", ...";
  }
  return s;
}

// trainer_state.json files that may hold the run's log history, newest last.
std::optional<fs::path> newestTrainerState(const std::vector<Source>& sources) {
  std::optional<fs::path> best;
  int64_t bestStep = -1;
  auto consider = [&](const fs::path& p) {
    if (!present(p)) return;
    const auto j = readJson(p);
    if (!j.is_object() || !j.contains("global_step") || !j["global_step"].is_number_integer())
      return;
    if (const int64_t s = j["global_step"].get<int64_t>(); s >= bestStep) {
      bestStep = s;
      best = p;
    }
  };
  for (const auto& s : sources) {
    consider(s.dir / "trainer_state.json");
    if (checkpointNumber(s.dir)) consider(fs::absolute(s.dir).parent_path() / "trainer_state.json");
  }
  return best;
}

fs::path findVocab(const HfImportOptions& options, const fs::path& firstDir) {
  if (options.vocab) return *options.vocab;
  for (const fs::path& candidate :
       {firstDir / "vocab.txt", fs::absolute(firstDir).parent_path() / "vocab.txt"})
    if (present(candidate)) return candidate;
  throw InputError(firstDir.string(), "",
                   "no vocab.txt here or in the folder above: pass --vocab FILE (the "
                   "tokenizer's vocab.txt)");
}

bool findLowerCase(const HfImportOptions& options, const fs::path& vocab,
                   const std::function<void(const std::string&)>& say) {
  if (options.doLowerCase) return *options.doLowerCase;
  const fs::path config = vocab.parent_path() / "tokenizer_config.json";
  if (present(config)) {
    const auto j = readJson(config);
    if (j.is_object() && j.contains("do_lower_case")) {
      if (!j["do_lower_case"].is_boolean())
        throw InputError(config.string(), "key 'do_lower_case'", "expected true or false");
      const bool lower = j["do_lower_case"].get<bool>();
      say(std::string("tokenizer: ") + (lower ? "uncased" : "cased") + " (do_lower_case from " +
          config.string() + ")");
      return lower;
    }
  }
  return true;
}
// series.json lists every file a linked series reads its tensors from, with
// its size and modification time at import (docs/series-format.md §1).
void recordLinkedSources(const fs::path& series, const std::vector<fs::path>& files) {
  SeriesMeta meta = readSeriesMeta(series);
  auto& linked = meta.provenance["linked_sources"];
  if (!linked.is_array()) linked = nlohmann::json::array();
  for (const auto& f : files) {
    const std::string path = fs::absolute(f).lexically_normal().string();
    bool known = false;
    for (const auto& entry : linked)
      known = known || (entry.is_object() && entry.value("path", "") == path);
    if (known) continue;
    std::error_code ec;
    const auto bytes = fs::file_size(f, ec);
    const auto mtime = fs::last_write_time(f, ec).time_since_epoch();
    linked.push_back(
        {{"path", path},
         {"bytes", ec ? 0 : bytes},
         {"mtime_ns", std::chrono::duration_cast<std::chrono::nanoseconds>(mtime).count()}});
  }
  writeSeriesMeta(series, meta);
}
} // namespace

int64_t hfCheckpointStep(const fs::path& dir) {
  fs::path state = dir / "trainer_state.json";
  if (present(state)) {
    auto j = readJson(state);
    if (!j.is_object() || !j.contains("global_step") || !j["global_step"].is_number_unsigned())
      throw InputError(state.string(), "key 'global_step'",
                       "missing or not a non-negative integer");
    return j["global_step"].get<int64_t>();
  }
  if (auto n = checkpointNumber(dir)) return *n;
  throw InputError(dir.string(), "",
                   "cannot tell the step: no trainer_state.json and not named checkpoint-N");
}

bool isHfCheckpointFolder(const fs::path& dir) {
  return present(dir / "config.json");
}

bool isFinishedCheckpoint(const fs::path& dir, double quietSeconds) {
  if (!present(dir / "trainer_state.json") || !isHfCheckpointFolder(dir)) return false;
  const auto now = fs::file_time_type::clock::now();
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const auto t = fs::last_write_time(e.path(), ec);
    if (ec) return false;
    if (std::chrono::duration<double>(now - t).count() < quietSeconds) return false;
  }
  return !ec;
}

std::vector<fs::path> expandHfFolders(const std::vector<fs::path>& args, bool onlyFinished) {
  std::vector<fs::path> out;
  for (const auto& arg : args) {
    std::error_code ec;
    if (!fs::is_directory(arg, ec)) throw InputError(arg.string(), "", "not a folder");
    if (isHfCheckpointFolder(arg)) {
      out.push_back(arg);
      continue;
    }
    std::vector<std::pair<int64_t, fs::path>> found;
    for (const auto& e : fs::directory_iterator(arg, ec))
      if (auto n = checkpointNumber(e.path()); n && e.is_directory(ec)) found.push_back({*n, e});
    if (found.empty() && !onlyFinished)
      throw InputError(arg.string(), "",
                       "neither a checkpoint folder (no config.json) nor a Trainer output folder "
                       "(no checkpoint-N folders)");
    std::sort(found.begin(), found.end());
    for (const auto& [n, dir] : found)
      if (!onlyFinished || isFinishedCheckpoint(dir)) out.push_back(dir);
  }
  return out;
}

TrainLog trainLogFromTrainerState(const fs::path& path) {
  const auto j = readJson(path);
  TrainLog log;
  log.source = "trainer_state.json log_history";
  if (!j.is_object() || !j.contains("log_history")) return log;
  if (!j["log_history"].is_array())
    throw InputError(path.string(), "key 'log_history'", "expected a list");
  std::map<int64_t, std::map<std::string, double>> rows; // a resumed run repeats steps: last wins
  for (const auto& entry : j["log_history"]) {
    if (!entry.is_object() || !entry.contains("loss") || !entry["loss"].is_number() ||
        !entry.contains("step") || !entry["step"].is_number_integer())
      continue; // evaluation rows, the final summary
    std::map<std::string, double> row{{"train_loss", entry["loss"].get<double>()}};
    if (entry.contains("learning_rate") && entry["learning_rate"].is_number())
      row["learning_rate"] = entry["learning_rate"].get<double>();
    if (entry.contains("grad_norm") && entry["grad_norm"].is_number())
      row["grad_norm"] = entry["grad_norm"].get<double>();
    rows[entry["step"].get<int64_t>()] = std::move(row);
  }
  for (const auto& [step, row] : rows)
    log.append(step, row);
  return log;
}

std::vector<int64_t> importHf(const std::vector<fs::path>& dirs, const HfImportOptions& options,
                              const HfImportProgress& progress) {
  if (dirs.empty()) throw std::invalid_argument("no checkpoint folders given");
  auto say = [&](const std::string& s) {
    if (options.notice && !s.empty()) options.notice(s);
  };
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
  std::optional<bool> withHeadFirst; // the first checkpoint decides; the others must agree
  std::set<std::string> ignored;
  for (const auto& s : sources) {
    HfCheckpoint ck(s.dir);
    if (!withHeadFirst) withHeadFirst = hasAnyHeadTensor(ck, specs);
    matchTensors(ck, specs, *withHeadFirst);
    ignored.insert(ck.ignored().begin(), ck.ignored().end());
  }
  const bool withHead = *withHeadFirst;
  say(describeIgnored(ignored));
  if (!withHead)
    say("no MLM head (a BertModel checkpoint): attention, UAS and TwoNN work; MLM loss and "
        "BLiMP cannot be computed for this series");

  std::set<int64_t> already;
  if (options.append && present(options.out / kSeriesFile)) {
    const SeriesMeta meta = readSeriesMeta(options.out);
    if (!(meta.model == sources.front().config) || meta.hasMlmHead != withHead)
      throw InputError((options.out / kSeriesFile).string(), "",
                       "the series holds another model than " +
                           (sources.front().dir / "config.json").string());
    for (const auto& c : listSeries(options.out).checkpoints)
      already.insert(c.step);
  } else {
    const fs::path vocab = findVocab(options, sources.front().dir);
    SeriesMeta meta;
    meta.label = options.label.empty() ? options.out.filename().string() : options.label;
    meta.model = sources.front().config;
    meta.doLowerCase = findLowerCase(options, vocab, say);
    meta.hasMlmHead = withHead;
    meta.provenance = {{"importer", "chrysalis-cli import-hf"}};
    if (options.link) meta.provenance["linked"] = true;
    for (const auto& s : sources)
      meta.provenance["sources"].push_back(fs::absolute(s.dir).string());
    createSeries(options.out, meta, readSmallFile(vocab, kMaxVocabBytes));
  }

  // The newest trainer_state.json's log: the series' training log, and the
  // loss and learning rate at each checkpoint's own step where it was logged.
  TrainLog log;
  const auto state = newestTrainerState(sources);
  if (state) log = trainLogFromTrainerState(*state);
  auto logged = [&log](const std::string& column, int64_t step) -> std::optional<double> {
    auto it = std::lower_bound(log.step.begin(), log.step.end(), step);
    if (it == log.step.end() || *it != step || !log.columns.count(column)) return std::nullopt;
    const double v = log.columns.at(column)[static_cast<size_t>(it - log.step.begin())];
    if (std::isnan(v)) return std::nullopt;
    return v;
  };

  std::vector<int64_t> written;
  const size_t total = static_cast<size_t>(std::count_if(
      sources.begin(), sources.end(), [&](const Source& s) { return !already.count(s.step); }));
  for (const Source& s : sources) {
    if (already.count(s.step)) continue;
    HfCheckpoint ck(s.dir);
    const auto tensors = matchTensors(ck, specs, withHead);
    // Not zero-filled: every byte is read from the source (zeroing 440 MB of
    // BERT-base first cost a fifth of an import).
    std::vector<std::unique_ptr<char[]>> buffers;
    std::vector<TensorBlob> blobs;
    std::vector<TensorLink> links;
    buffers.reserve(tensors.size());
    for (const HfTensor* t : tensors) {
      buffers.emplace_back(new char[t->bytes]);
      ck.read(*t, buffers.back().get()); // also when linking: the checksum is of these bytes
      blobs.push_back({t->name, t->dtype, t->shape, buffers.back().get()});
      if (options.link)
        links.push_back(
            {fs::absolute(ck.files()[t->file]).lexically_normal().string(), t->fileOffset});
    }
    if (options.link) recordLinkedSources(options.out, ck.files());
    CheckpointInfo info;
    info.step = s.step;
    info.trainLoss = logged("train_loss", s.step);
    info.learningRate = logged("learning_rate", s.step).value_or(0.0);
    const fs::path target = checkpointPath(options.out, s.step);
    requireInsideSeries(options.out, target.parent_path());
    writeCheckpoint(target, info, blobs, links);
    written.push_back(s.step);
    if (progress) progress(s.step, written.size(), total);
  }
  if (!log.empty()) {
    writeTrainLog(options.out, log);
    say("training log: " + std::to_string(log.size()) + " logged steps from " + state->string());
  }
  return written;
}

} // namespace chrysalis::format
