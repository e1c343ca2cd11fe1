#include "train/corpus.h"

#include "common/error.h"
#include "common/input_file.h"
#include "common/line_reader.h"
#include "text/conllu.h"

#include <algorithm>
#include <cstdio>
#include <limits>

namespace fs = std::filesystem;

namespace chrysalis::train {

namespace {
constexpr size_t kMaxLineBytes = 1 << 20; // a line of raw text is one training unit
}

bool isConlluFile(const fs::path& p) {
  const auto ext = p.extension().string();
  return ext == ".conllu" || ext == ".conll";
}

DataFileRecord describeFile(const fs::path& p) {
  // Regular files only: a FIFO named as the corpus would block forever.
  InputFile file(p, std::numeric_limits<uint64_t>::max());
  std::istream& in = file.stream();
  DataFileRecord r;
  r.path = p.string();
  r.kind = isConlluFile(p) ? "conllu" : "text";
  uint64_t h = 0xCBF29CE484222325ULL; // FNV-1a 64, as text::fnv1a64, streamed
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto n = static_cast<size_t>(in.gcount());
    for (size_t i = 0; i < n; ++i) {
      h ^= static_cast<unsigned char>(buf[i]);
      h *= 0x100000001B3ULL;
    }
    r.bytes += n;
  }
  if (in.bad()) throw InputError(p.string(), "", "read error");
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  r.fnv1a64 = hex;
  return r;
}

RawCorpus readRawCorpus(const std::vector<std::string>& files, int64_t maxUnits) {
  RawCorpus raw;
  auto full = [&] { return maxUnits > 0 && static_cast<int64_t>(raw.units.size()) >= maxUnits; };
  for (const auto& file : files) {
    DataFileRecord record = describeFile(file);
    const size_t before = raw.units.size();
    if (isConlluFile(file)) {
      text::ConlluReader reader{fs::path(file)};
      text::Sentence s;
      while (!full() && reader.next(s)) {
        RawUnit u;
        u.words = std::move(s.words);
        u.heads = std::move(s.heads);
        if (!u.words.empty()) raw.units.push_back(std::move(u));
      }
    } else {
      InputFile input(file, std::numeric_limits<uint64_t>::max());
      LineReader lines(input.stream(), file, LineLimits{kMaxLineBytes});
      std::string line;
      while (!full() && lines.next(line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t\v\f") == std::string::npos) continue;
        RawUnit u;
        u.line = std::move(line);
        raw.units.push_back(std::move(u));
      }
    }
    record.units = static_cast<int64_t>(raw.units.size() - before);
    raw.files.push_back(std::move(record));
    if (full()) break;
  }
  return raw;
}

std::vector<std::string> corpusText(const RawCorpus& raw) {
  std::vector<std::string> out;
  out.reserve(raw.units.size());
  for (const auto& u : raw.units) {
    if (!u.parsed()) {
      out.push_back(u.line);
      continue;
    }
    std::string s;
    for (const auto& w : u.words) {
      if (!s.empty()) s += ' ';
      s += w;
    }
    out.push_back(std::move(s));
  }
  return out;
}

namespace {

void addSentence(const RawUnit& u, const text::WordPieceTokenizer& tok, int64_t maxSeq, Corpus& c) {
  text::WordAlignment a = tok.encodeWords(u.words, static_cast<size_t>(maxSeq));
  TrainExample ex;
  ex.ids = std::move(a.ids);
  if (a.truncatedCount() > 0) ++c.truncatedUnits;
  for (size_t i = 0; i < u.words.size(); ++i) {
    const int32_t head = u.heads[i];
    if (head == 0) continue; // the root has no parent
    const auto h = static_cast<size_t>(head - 1);
    if (a.truncated(i) || a.truncated(h)) {
      ++c.droppedPairs;
      continue;
    }
    ex.pairs.push_back({a.spans[i].begin, a.spans[h].begin});
  }
  c.pairs += static_cast<int64_t>(ex.pairs.size());
  if (a.keptWords > 0)
    c.examples.push_back(std::move(ex));
  else
    ++c.droppedUnits;
}

void addLine(const RawUnit& u, const text::WordPieceTokenizer& tok, int64_t maxSeq, Corpus& c,
             std::vector<int32_t>& pieces) {
  pieces.clear();
  tok.tokenizeIds(u.line, pieces);
  const auto chunk = static_cast<size_t>(maxSeq - 2);
  const auto& sp = tok.vocab().specials();
  for (size_t begin = 0; begin < pieces.size(); begin += chunk) {
    const size_t end = std::min(pieces.size(), begin + chunk);
    TrainExample ex;
    ex.ids.reserve(end - begin + 2);
    ex.ids.push_back(sp.cls);
    ex.ids.insert(ex.ids.end(), pieces.begin() + static_cast<std::ptrdiff_t>(begin),
                  pieces.begin() + static_cast<std::ptrdiff_t>(end));
    ex.ids.push_back(sp.sep);
    c.examples.push_back(std::move(ex));
  }
}

} // namespace

Corpus tokenizeCorpus(const RawCorpus& raw, const text::WordPieceTokenizer& tokenizer,
                      int64_t maxSeqLength) {
  Corpus c;
  c.examples.reserve(raw.units.size());
  std::vector<int32_t> pieces;
  for (const auto& u : raw.units) {
    if (u.parsed())
      addSentence(u, tokenizer, maxSeqLength, c);
    else
      addLine(u, tokenizer, maxSeqLength, c, pieces);
  }
  return c;
}

} // namespace chrysalis::train
