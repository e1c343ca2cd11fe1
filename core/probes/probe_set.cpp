#include "probes/probe_set.h"

#include "common/error.h"
#include "format/atomic_file.h"
#include "format/h5.h"
#include "text/conllu.h"
#include "text/splitmix.h"
#include "text/wordpiece.h"

#include <algorithm>
#include <cstdio>

namespace fs = std::filesystem;

namespace chrysalis::probes {

namespace {
constexpr size_t kMaxWords = 50'000'000;

struct Fnv {
  uint64_t h = 1469598103934665603ull;
  void add(const void* p, size_t n) {
    auto* b = static_cast<const unsigned char*>(p);
    for (size_t i = 0; i < n; ++i) {
      h ^= b[i];
      h *= 1099511628211ull;
    }
  }
  void add(const std::string& s) {
    uint64_t n = s.size();
    add(&n, sizeof n);
    add(s.data(), s.size());
  }
};
} // namespace

std::string ProbeSet::hash() const {
  Fnv f;
  for (const auto& s : sentences) {
    f.add(s.sentId);
    uint64_t n = s.words.size();
    f.add(&n, sizeof n);
    for (size_t i = 0; i < s.words.size(); ++i) {
      f.add(s.words[i]);
      int32_t h = s.heads[i];
      f.add(&h, sizeof h);
      f.add(s.relations[i]);
    }
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(f.h));
  return buf;
}

size_t ProbeSet::wordCount() const {
  size_t n = 0;
  for (const auto& s : sentences)
    n += s.words.size();
  return n;
}

ProbeSet buildProbeSet(const std::vector<fs::path>& conllu,
                       const text::WordPieceTokenizer& tokenizer, const ProbeSetOptions& options,
                       ProbeSetBuildReport* report) {
  ProbeSet set;
  set.seed = options.seed;
  set.maxPieces = static_cast<int64_t>(options.maxPieces);
  std::vector<ParsedSentence> eligible;
  ProbeSetBuildReport local;
  ProbeSetBuildReport& r = report ? *report : local;
  for (const auto& path : conllu) {
    set.sources.push_back(path.filename().string());
    text::ConlluOptions copts;
    copts.skipInvalid = true;
    text::ConlluReader reader(path, copts);
    text::Sentence s;
    while (reader.next(s)) {
      if (s.words.size() < options.minWords) continue;
      auto aligned = tokenizer.encodeWords(s.words, options.maxPieces);
      if (aligned.truncatedCount() > 0) continue; // does not fit the model's positions
      eligible.push_back({s.sentId, s.words, s.heads, s.relations});
    }
    r.skipped += reader.skipped();
    for (const auto& e : reader.errors())
      if (r.firstErrors.size() < 3) r.firstErrors.push_back(e.what());
  }
  // Seeded choice, independent of the standard library's distributions.
  std::vector<size_t> order(eligible.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  text::SplitMix64 rng(options.seed);
  for (size_t i = order.size(); i > 1; --i)
    std::swap(order[i - 1], order[rng.below(i)]);
  order.resize(std::min(order.size(), options.maxSentences));
  std::sort(order.begin(), order.end());
  for (size_t i : order)
    set.sentences.push_back(std::move(eligible[i]));
  return set;
}

void saveProbeSet(const ProbeSet& set, const fs::path& path) {
  std::vector<std::string> words, relations, ids;
  std::vector<int64_t> heads, offsets{0};
  for (const auto& s : set.sentences) {
    ids.push_back(s.sentId);
    for (size_t i = 0; i < s.words.size(); ++i) {
      words.push_back(s.words[i]);
      relations.push_back(s.relations[i]);
      heads.push_back(s.heads[i]);
    }
    offsets.push_back(static_cast<int64_t>(words.size()));
  }
  format::publishAtomically(path, [&](const fs::path& temp) {
    h5::File f = h5::create(temp);
    h5::writeAttrString(f, "/", "format", "chrysalis-probe-set");
    h5::writeAttrInt(f, "/", "format_version", 1);
    h5::writeAttrString(f, "/", "hash", set.hash());
    h5::writeAttrInt(f, "/", "seed", static_cast<int64_t>(set.seed));
    h5::writeAttrInt(f, "/", "max_pieces", set.maxPieces);
    h5::writeStrings(f, "sent_ids", ids);
    h5::writeStrings(f, "words", words);
    h5::writeStrings(f, "relations", relations);
    h5::writeStrings(f, "sources", set.sources);
    h5::writeDatasetRaw(f, "heads", format::DType::I64, {static_cast<int64_t>(heads.size())},
                        heads.data());
    h5::writeDatasetRaw(f, "sentence_offsets", format::DType::I64,
                        {static_cast<int64_t>(offsets.size())}, offsets.data());
    h5::flush(f);
  });
}

ProbeSet loadProbeSet(const fs::path& path) {
  h5::File f = h5::openRead(path);
  if (!h5::hasAttr(f, "/", "format") ||
      h5::readAttrString(f, "/", "format") != "chrysalis-probe-set")
    throw InputError(f.path, "", "not a Chrysalis probe set");
  auto readInts = [&](const std::string& name, size_t maxCount) {
    auto info = h5::datasetInfo(f, name);
    if (info.dtype != format::DType::I64 || info.shape.size() != 1 ||
        static_cast<size_t>(info.shape[0]) > maxCount)
      throw InputError(f.path, "dataset '" + name + "'", "expected int64 [N] of bounded size");
    std::vector<int64_t> v(static_cast<size_t>(info.shape[0]));
    h5::readDatasetRaw(f, name, info, v.data(), v.size() * sizeof(int64_t));
    return v;
  };
  auto offsets = readInts("sentence_offsets", kMaxWords);
  auto heads = readInts("heads", kMaxWords);
  auto words = h5::readStrings(f, "words", kMaxWords);
  auto relations = h5::readStrings(f, "relations", kMaxWords);
  auto ids = h5::readStrings(f, "sent_ids", kMaxWords);
  if (offsets.empty() || offsets.front() != 0 || ids.size() + 1 != offsets.size() ||
      words.size() != heads.size() || words.size() != relations.size() ||
      static_cast<size_t>(offsets.back()) != words.size())
    throw InputError(f.path, "", "inconsistent dataset sizes");
  ProbeSet set;
  set.seed = static_cast<uint64_t>(h5::readAttrInt(f, "/", "seed"));
  set.maxPieces = h5::readAttrInt(f, "/", "max_pieces");
  set.sources = h5::readStrings(f, "sources", 10000);
  for (size_t s = 0; s + 1 < offsets.size(); ++s) {
    if (offsets[s + 1] <= offsets[s])
      throw InputError(f.path, "sentence " + std::to_string(s), "empty or out of order");
    ParsedSentence ps;
    ps.sentId = ids[s];
    const auto n = offsets[s + 1] - offsets[s];
    for (int64_t i = offsets[s]; i < offsets[s + 1]; ++i) {
      const auto k = static_cast<size_t>(i);
      if (heads[k] < 0 || heads[k] > n)
        throw InputError(f.path, "sentence " + std::to_string(s), "head out of range");
      ps.words.push_back(words[k]);
      ps.heads.push_back(static_cast<int32_t>(heads[k]));
      ps.relations.push_back(relations[k]);
    }
    set.sentences.push_back(std::move(ps));
  }
  std::string stored = h5::readAttrString(f, "/", "hash");
  if (stored != set.hash())
    throw InputError(f.path, "attribute 'hash'", "content does not match its hash");
  return set;
}

} // namespace chrysalis::probes
