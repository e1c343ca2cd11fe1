#include "sentences/probe_set_reader.h"

#include "common/error.h"
#include "format/h5.h"

#include <QFileInfo>

#include <algorithm>
#include <set>

namespace chrysalis::ui {

namespace {
// The engine's own bound (core/probes/probe_set.cpp): a hostile file cannot
// make us allocate more.
constexpr size_t kMaxWords = 50'000'000;

QString qs(const std::string& s) {
  return QString::fromStdString(s);
}
} // namespace

QStringList ProbeSetData::relations() const {
  std::set<QString> all;
  for (const ProbeSentence& s : sentences)
    for (const QString& r : s.relations)
      all.insert(r);
  return QStringList(all.begin(), all.end());
}

ProbeSetData readProbeSet(const QString& path) {
  const std::string p = path.toStdString();
  h5::File f = h5::openRead(p);
  if (!h5::hasAttr(f, "/", "format") ||
      h5::readAttrString(f, "/", "format") != "chrysalis-probe-set")
    throw InputError(p, "", "not a Chrysalis probe set");
  auto readInts = [&](const std::string& name) {
    const h5::DatasetInfo info = h5::datasetInfo(f, name);
    if (info.dtype != format::DType::I64 || info.shape.size() != 1 ||
        static_cast<size_t>(info.shape[0]) > kMaxWords)
      throw InputError(p, "dataset '" + name + "'", "expected int64 [N] of bounded size");
    std::vector<int64_t> v(static_cast<size_t>(info.shape[0]));
    h5::readDatasetRaw(f, name, info, v.data(), v.size() * sizeof(int64_t));
    return v;
  };
  const auto offsets = readInts("sentence_offsets");
  const auto heads = readInts("heads");
  const auto words = h5::readStrings(f, "words", kMaxWords);
  const auto relations = h5::readStrings(f, "relations", kMaxWords);
  const auto ids = h5::readStrings(f, "sent_ids", kMaxWords);
  if (offsets.empty() || offsets.front() != 0 || ids.size() + 1 != offsets.size() ||
      words.size() != heads.size() || words.size() != relations.size() ||
      static_cast<size_t>(offsets.back()) != words.size())
    throw InputError(p, "", "inconsistent dataset sizes");

  ProbeSetData set;
  set.path = QFileInfo(path).absoluteFilePath();
  if (h5::hasAttr(f, "/", "hash")) set.hash = qs(h5::readAttrString(f, "/", "hash"));
  set.sentences.reserve(static_cast<qsizetype>(ids.size()));
  for (size_t s = 0; s + 1 < offsets.size(); ++s) {
    const int64_t begin = offsets[s], end = offsets[s + 1];
    if (end <= begin) throw InputError(p, "sentence " + std::to_string(s), "empty or out of order");
    ProbeSentence sentence;
    sentence.id = qs(ids[s]);
    for (int64_t i = begin; i < end; ++i) {
      const auto k = static_cast<size_t>(i);
      if (heads[k] < 0 || heads[k] > end - begin)
        throw InputError(p, "sentence " + std::to_string(s), "head out of range");
      sentence.words << qs(words[k]);
      sentence.heads << static_cast<int>(heads[k]);
      sentence.relations << qs(relations[k]);
    }
    set.sentences << sentence;
  }
  return set;
}

} // namespace chrysalis::ui
