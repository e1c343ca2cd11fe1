#include "text/blimp.h"

#include "common/error.h"
#include "common/input_file.h"
#include "common/json_bounded.h"
#include "common/line_reader.h"
#include "text/splitmix.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <numeric>
#include <set>

namespace chrysalis::text {

namespace {
using nlohmann::json;

constexpr int kMaxDepth = 64; // BLiMP objects are flat; deeper input is garbage
// A BLiMP file holds 1,000 pairs of short sentences (about 300 KB).
constexpr size_t kMaxLineBytes = 1 << 20;
constexpr uint64_t kMaxPairs = 1'000'000;
constexpr uint64_t kMaxFileBytes = uint64_t{256} << 20;

std::string place(size_t line) {
  return "line " + std::to_string(line);
}

std::string requireString(const json& obj, const char* key, const std::string& file, size_t line) {
  auto it = obj.find(key);
  if (it == obj.end())
    throw InputError(file, place(line), std::string("missing key \"") + key + "\"");
  if (!it->is_string())
    throw InputError(file, place(line),
                     std::string("key \"") + key + "\" is a " + it->type_name() + ", not a string");
  return it->get<std::string>();
}

BlimpPair parseLine(const std::string& line, const std::string& file, size_t lineNo) {
  const json obj = parseJsonBounded(line, file, kMaxDepth, place(lineNo));
  if (!obj.is_object()) throw InputError(file, place(lineNo), "not a JSON object");
  BlimpPair p;
  p.good = requireString(obj, "sentence_good", file, lineNo);
  p.bad = requireString(obj, "sentence_bad", file, lineNo);
  p.uid = requireString(obj, "UID", file, lineNo);
  p.phenomenon = requireString(obj, "linguistics_term", file, lineNo);
  p.field = requireString(obj, "field", file, lineNo);
  std::replace(p.field.begin(), p.field.end(), '/', '_');
  auto id = obj.find("pairID");
  if (id == obj.end()) throw InputError(file, place(lineNo), "missing key \"pairID\"");
  if (id->is_string())
    p.pairId = id->get<std::string>();
  else if (id->is_number_integer())
    p.pairId = id->dump();
  else
    throw InputError(file, place(lineNo),
                     std::string("key \"pairID\" is a ") + id->type_name() + ", not a string");
  if (p.uid.empty()) throw InputError(file, place(lineNo), "empty UID");
  p.file = file;
  p.line = lineNo;
  return p;
}
} // namespace

std::vector<BlimpPair> readBlimpJsonl(std::istream& in, const std::string& displayName) {
  std::vector<BlimpPair> pairs;
  std::string line;
  LineReader lines(in, displayName, LineLimits{kMaxLineBytes, kMaxPairs});
  while (lines.next(line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    pairs.push_back(parseLine(line, displayName, static_cast<size_t>(lines.lineNumber())));
  }
  return pairs;
}

std::vector<BlimpPair> readBlimpFile(const std::filesystem::path& path) {
  InputFile file(path, kMaxFileBytes);
  return readBlimpJsonl(file.stream(), path.string());
}

std::vector<size_t> sampleIndices(size_t n, size_t k, uint64_t seed) {
  std::vector<size_t> idx(n);
  std::iota(idx.begin(), idx.end(), size_t{0});
  if (k >= n) return idx;
  SplitMix64 rng(seed);
  for (size_t i = 0; i < k; ++i) {
    const size_t j = i + static_cast<size_t>(rng.below(n - i));
    std::swap(idx[i], idx[j]);
  }
  idx.resize(k);
  std::sort(idx.begin(), idx.end());
  return idx;
}

BlimpSuite BlimpSuite::loadDirectory(const std::filesystem::path& dir) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.is_regular_file() && entry.path().extension() == ".jsonl")
      files.push_back(entry.path());
  if (ec) throw InputError(dir.string(), "", "cannot list the folder: " + ec.message());
  if (files.empty()) throw InputError(dir.string(), "", "no .jsonl files");
  std::sort(files.begin(), files.end());
  BlimpSuite suite;
  for (const auto& f : files)
    suite.add(readBlimpFile(f));
  return suite;
}

void BlimpSuite::add(std::vector<BlimpPair> pairs) {
  // pairIDs of the tasks this batch touches (collected on first touch).
  std::map<std::string, std::set<std::string>> seenIds;
  for (BlimpPair& p : pairs) {
    auto it =
        std::lower_bound(m_tasks.begin(), m_tasks.end(), p.uid,
                         [](const BlimpTask& t, const std::string& uid) { return t.uid < uid; });
    if (it == m_tasks.end() || it->uid != p.uid) {
      BlimpTask t;
      t.uid = p.uid;
      t.phenomenon = p.phenomenon;
      t.field = p.field;
      it = m_tasks.insert(it, std::move(t));
    }
    if (seenIds.find(p.uid) == seenIds.end()) {
      std::set<std::string>& ids = seenIds[p.uid];
      for (const BlimpPair& earlier : it->pairs)
        ids.insert(earlier.pairId);
    }
    if (p.phenomenon != it->phenomenon)
      throw InputError(p.file, place(p.line),
                       "linguistics_term \"" + p.phenomenon + "\" differs from task " + p.uid +
                           "'s \"" + it->phenomenon + "\"");
    if (p.field != it->field)
      throw InputError(p.file, place(p.line),
                       "field \"" + p.field + "\" differs from task " + p.uid + "'s \"" +
                           it->field + "\"");
    if (!seenIds[p.uid].insert(p.pairId).second)
      throw InputError(p.file, place(p.line),
                       "pairID \"" + p.pairId + "\" repeats within task " + p.uid);
    it->pairs.push_back(std::move(p));
  }
}

const BlimpTask* BlimpSuite::task(const std::string& uid) const {
  auto it = std::lower_bound(m_tasks.begin(), m_tasks.end(), uid,
                             [](const BlimpTask& t, const std::string& u) { return t.uid < u; });
  return it != m_tasks.end() && it->uid == uid ? &*it : nullptr;
}

size_t BlimpSuite::pairCount() const {
  size_t n = 0;
  for (const BlimpTask& t : m_tasks)
    n += t.pairs.size();
  return n;
}

std::map<std::string, std::vector<std::string>> BlimpSuite::phenomena() const {
  std::map<std::string, std::vector<std::string>> out;
  for (const BlimpTask& t : m_tasks)
    out[t.phenomenon].push_back(t.uid); // tasks are sorted
  return out;
}

BlimpSuite BlimpSuite::subsample(size_t k, uint64_t seed) const {
  BlimpSuite out;
  out.m_tasks.reserve(m_tasks.size());
  for (const BlimpTask& t : m_tasks) {
    BlimpTask s{t.uid, t.phenomenon, t.field, {}};
    for (size_t i : sampleIndices(t.pairs.size(), k, seed ^ fnv1a64(t.uid)))
      s.pairs.push_back(t.pairs[i]);
    out.m_tasks.push_back(std::move(s));
  }
  return out;
}

} // namespace chrysalis::text
