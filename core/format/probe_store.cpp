#include "format/probe_store.h"

#include "common/error.h"
#include "common/input_file.h"
#include "common/json_bounded.h"
#include "format/atomic_file.h"
#include "format/checkpoint_file.h"
#include "format/h5.h"
#include "format/series_paths.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace fs = std::filesystem;

namespace chrysalis::format {

namespace {
constexpr size_t kMaxConfigBytes = 4 << 20;
constexpr size_t kMaxStrings = 1 << 22;
// All arrays of one result (the largest real one, UAS per head and relation
// of BERT-large, is a few MB).
constexpr uint64_t kMaxArrayBytes = uint64_t{1} << 30;
constexpr const char* kScalars = "/scalars";
constexpr const char* kArrays = "/arrays";
constexpr const char* kStrings = "/strings";

bool isHash(const std::string& s) {
  return s.size() == 16 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

void checkHash(const std::string& hash) {
  if (!isHash(hash)) throw std::invalid_argument("not a probe configuration hash: " + hash);
}

// Dataset paths under `root`, relative to it; string lists (h5::writeStrings'
// groups) count as one leaf. The walk is bounded (h5::walkGroup).
std::vector<std::string> collectDatasets(const h5::File& f, const std::string& root) {
  std::vector<std::string> out;
  h5::walkGroup(f, root, [&](const std::string& rel, bool isGroup) {
    if (isGroup && !h5::isStringList(f, root + "/" + rel)) return true;
    out.push_back(rel);
    return false;
  });
  return out;
}
} // namespace

std::string probeConfigHash(const nlohmann::json& config) {
  const std::string canonical = config.dump(); // nlohmann's object keys are sorted
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : canonical) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

ProbeStore::ProbeStore(fs::path seriesDir) : m_dir(std::move(seriesDir)) {}

std::string ProbeStore::ensureConfig(const nlohmann::json& config) const {
  std::string hash = probeConfigHash(config);
  fs::path dir = m_dir / kProbeDir / hash;
  createFolderInsideSeries(m_dir, dir);
  std::error_code ec;
  if (!fs::exists(dir / "config.json", ec))
    writeFileAtomically(dir / "config.json", config.dump(2) + "\n");
  return hash;
}

std::map<std::string, nlohmann::json> ProbeStore::configs() const {
  std::map<std::string, nlohmann::json> out;
  std::error_code ec;
  fs::path root = m_dir / kProbeDir;
  if (!fs::is_directory(root, ec)) return out;
  for (const auto& e : fs::directory_iterator(root, ec)) {
    std::string hash = e.path().filename().string();
    if (!isHash(hash)) continue;
    try {
      const fs::path file = e.path() / "config.json";
      out[hash] = parseJsonBounded(readSmallFile(file, kMaxConfigBytes), file.string());
    } catch (const std::exception&) {
      // A configuration being written right now, or damaged: skip it.
    }
  }
  return out;
}

std::vector<int64_t> ProbeStore::steps(const std::string& hash) const {
  checkHash(hash);
  std::vector<int64_t> out;
  std::error_code ec;
  fs::path dir = m_dir / kProbeDir / hash;
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (isTemporaryName(e.path())) continue;
    if (auto s = stepFromFileName(e.path().filename().string())) out.push_back(*s);
  }
  std::sort(out.begin(), out.end());
  return out;
}

fs::path ProbeStore::resultPath(const std::string& hash, int64_t step) const {
  checkHash(hash);
  return m_dir / kProbeDir / hash / checkpointFileName(step);
}

bool ProbeStore::has(const std::string& hash, int64_t step) const {
  std::error_code ec;
  return fs::exists(resultPath(hash, step), ec);
}

void ProbeStore::write(const std::string& hash, const ProbeResult& r) const {
  fs::path path = resultPath(hash, r.step);
  createFolderInsideSeries(m_dir, path.parent_path());
  publishAtomically(path, [&](const fs::path& temp) {
    h5::File f = h5::create(temp);
    h5::writeAttrInt(f, "/", "format_version", kFormatVersion);
    h5::writeAttrInt(f, "/", "step", r.step);
    h5::writeAttrString(f, "/", "config_hash", hash);
    h5::writeAttrString(f, "/", "probe_set_hash", r.probeSetHash);
    h5::writeAttrString(f, "/", "app_version", CHRYSALIS_VERSION);
    double now =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    h5::writeAttrDouble(f, "/", "created_unix", now);
    h5::createGroup(f, kScalars);
    for (const auto& [k, v] : r.scalars)
      h5::writeAttrDouble(f, kScalars, k, v);
    for (const auto& [k, a] : r.arrays) {
      int64_t n = 1;
      for (auto d : a.shape)
        n *= d;
      if (n != static_cast<int64_t>(a.values.size()))
        throw std::invalid_argument("probe array '" + k +
                                    "' has a shape that does not match its values");
      h5::writeDatasetRaw(f, std::string(kArrays) + "/" + k, DType::F64, a.shape, a.values.data());
    }
    for (const auto& [k, s] : r.strings)
      h5::writeStrings(f, std::string(kStrings) + "/" + k, s);
    h5::flush(f);
  });
}

ProbeResult ProbeStore::read(const std::string& hash, int64_t step) const {
  h5::File f = h5::openRead(resultPath(hash, step));
  ProbeResult r;
  r.step = h5::readAttrInt(f, "/", "step");
  if (r.step != step) throw InputError(f.path, "attribute 'step'", "does not match the file name");
  r.configHash = h5::readAttrString(f, "/", "config_hash");
  r.probeSetHash = h5::readAttrString(f, "/", "probe_set_hash");
  r.appVersion = h5::readAttrString(f, "/", "app_version");
  r.createdUnix = h5::readAttrDouble(f, "/", "created_unix");
  if (h5::exists(f, kScalars))
    for (const auto& name : h5::listAttrs(f, kScalars))
      r.scalars[name] = h5::readAttrDouble(f, kScalars, name);
  if (h5::exists(f, kArrays)) {
    uint64_t total = 0;
    for (const auto& name : collectDatasets(f, kArrays)) {
      std::string full = std::string(kArrays) + "/" + name;
      // One open for the shape, type and place (the GUI reads a step's
      // arrays at every cursor move that reaches a new step).
      const h5::DatasetLookup found = h5::lookupDataset(f, full, "");
      const h5::DatasetInfo& di = found.info;
      if (di.dtype != DType::F64)
        throw InputError(f.path, "dataset '" + full + "'", "expected float64");
      // Bounded before allocating: the GUI reads these in its own process.
      total += static_cast<uint64_t>(di.elementCount()) * sizeof(double);
      if (total > kMaxArrayBytes)
        throw InputError(f.path, "dataset '" + full + "'",
                         "arrays over " + std::to_string(kMaxArrayBytes >> 20) +
                             " MiB in all: refused");
      NumericArray a;
      a.shape = di.shape;
      a.values.resize(static_cast<size_t>(di.elementCount()));
      h5::readLookedUp(f, full, found, a.values.data(), a.values.size() * sizeof(double));
      r.arrays[name] = std::move(a);
    }
  }
  if (h5::exists(f, kStrings)) {
    for (const auto& name : collectDatasets(f, kStrings))
      r.strings[name] = h5::readStrings(f, std::string(kStrings) + "/" + name, kMaxStrings);
  }
  return r;
}

} // namespace chrysalis::format
