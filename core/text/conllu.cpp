#include "text/conllu.h"

#include "text/utf8.h"

#include <limits>
#include <string_view>

namespace chrysalis::text {

namespace {
// A treebank line is a few hundred bytes and a sentence at most a few hundred
// words; these bounds only stop endless input from taking all memory.
constexpr size_t kMaxLineBytes = 1 << 20;
constexpr size_t kMaxSentenceLines = 100'000;
constexpr const char* kColumnNames[] = {"ID",    "FORM", "LEMMA",  "UPOS", "XPOS",
                                        "FEATS", "HEAD", "DEPREL", "DEPS", "MISC"};

std::string place(size_t line) {
  return "line " + std::to_string(line);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

// A non-negative decimal number of at most 9 digits (no sign), or -1.
int32_t parseNumber(std::string_view s) {
  if (s.empty() || s.size() > 9) return -1;
  int32_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

// Splits on tabs; returns the number of fields (stops counting past 10).
size_t splitColumns(std::string_view line, std::string_view (&cols)[10]) {
  size_t n = 0;
  size_t start = 0;
  while (true) {
    const size_t tab = line.find('\t', start);
    const std::string_view field =
        line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start);
    if (n < 10) cols[n] = field;
    ++n;
    if (tab == std::string_view::npos) return n;
    start = tab + 1;
  }
}
} // namespace

std::vector<std::string> Sentence::surfaceTokens() const {
  std::vector<std::string> out;
  out.reserve(words.size());
  size_t m = 0;
  for (int32_t w = 1; w <= static_cast<int32_t>(words.size()); ++w) {
    if (m < multiwordTokens.size() && multiwordTokens[m].first == w) {
      out.push_back(multiwordTokens[m].form);
      w = multiwordTokens[m].last;
      ++m;
    } else {
      out.push_back(words[static_cast<size_t>(w - 1)]);
    }
  }
  return out;
}

ConlluReader::ConlluReader(std::istream& in, std::string displayName, ConlluOptions options)
    : m_in(&in), m_name(std::move(displayName)), m_options(options),
      m_lines(std::make_unique<LineReader>(in, m_name, LineLimits{kMaxLineBytes})) {}

ConlluReader::ConlluReader(const std::filesystem::path& path, ConlluOptions options)
    : m_file(std::make_unique<InputFile>(path, std::numeric_limits<uint64_t>::max())),
      m_in(&m_file->stream()), m_name(path.string()), m_options(options),
      m_lines(std::make_unique<LineReader>(*m_in, m_name, LineLimits{kMaxLineBytes})) {}

void ConlluReader::fail(size_t line, const std::string& reason) {
  // Only the first problem of a sentence is reported; the rest of it is skipped.
  if (!m_pending) m_pending = std::make_unique<InputError>(m_name, place(line), reason);
}

void ConlluReader::parseComment(const std::string& line, Sentence& s) {
  std::string_view body = trim(std::string_view(line).substr(1));
  const size_t eq = body.find('=');
  if (eq == std::string_view::npos) {
    s.comments.push_back({std::string(body), "", false});
    return;
  }
  const std::string_view key = trim(body.substr(0, eq));
  const std::string_view value = trim(body.substr(eq + 1));
  if (key == "sent_id")
    s.sentId = value;
  else if (key == "text")
    s.text = value;
  else
    s.comments.push_back({std::string(key), std::string(value), true});
}

void ConlluReader::parseTokenLine(const std::string& line, Sentence& s) {
  std::string_view cols[10];
  const size_t n = splitColumns(line, cols);
  if (n != 10) return fail(m_line, "expected 10 tab-separated columns, found " + std::to_string(n));
  for (size_t c = 0; c < 10; ++c)
    if (cols[c].empty())
      return fail(m_line, std::string("empty ") + kColumnNames[c] + " column (use _)");

  const std::string_view id = cols[0];
  const auto nextWord = static_cast<int32_t>(s.words.size() + 1);
  if (const size_t dash = id.find('-'); dash != std::string_view::npos) {
    const int32_t first = parseNumber(id.substr(0, dash));
    const int32_t last = parseNumber(id.substr(dash + 1));
    if (first < 1 || last < 1)
      return fail(m_line, "malformed multiword token ID \"" + std::string(id) + "\"");
    if (last <= first)
      return fail(m_line, "multiword token range " + std::string(id) + " is empty or reversed");
    if (first != nextWord)
      return fail(m_line, "multiword token range " + std::string(id) +
                              " does not start at the next word (" + std::to_string(nextWord) +
                              ")");
    s.multiwordTokens.push_back({first, last, std::string(cols[1]), std::string(cols[9])});
    m_mwtLines.push_back(m_line);
    return;
  }
  if (const size_t dot = id.find('.'); dot != std::string_view::npos) {
    const int32_t after = parseNumber(id.substr(0, dot));
    const int32_t index = parseNumber(id.substr(dot + 1));
    if (after < 0 || index < 1)
      return fail(m_line, "malformed empty node ID \"" + std::string(id) + "\"");
    if (after != nextWord - 1)
      return fail(m_line, "empty node " + std::string(id) +
                              " is out of place (expected after word " +
                              std::to_string(nextWord - 1) + ")");
    s.emptyNodes.push_back({after, index, std::string(cols[1]), std::string(cols[8])});
    return;
  }
  const int32_t word = parseNumber(id);
  if (word < 0) return fail(m_line, "word ID \"" + std::string(id) + "\" is not a number");
  if (word != nextWord)
    return fail(m_line, "word ID " + std::to_string(word) + " is not consecutive (expected " +
                            std::to_string(nextWord) + ")");
  const int32_t head = parseNumber(cols[6]);
  if (head < 0) return fail(m_line, "HEAD \"" + std::string(cols[6]) + "\" is not a number");
  s.words.emplace_back(cols[1]);
  s.lemmas.emplace_back(cols[2]);
  s.upos.emplace_back(cols[3]);
  s.xpos.emplace_back(cols[4]);
  s.feats.emplace_back(cols[5]);
  s.heads.push_back(head);
  s.relations.emplace_back(cols[7]);
  s.deps.emplace_back(cols[8]);
  s.misc.emplace_back(cols[9]);
  m_wordLines.push_back(m_line);
}

void ConlluReader::validateTree(const Sentence& s) {
  const auto n = static_cast<int32_t>(s.words.size());
  if (n == 0) return fail(s.line, "sentence has no words");
  for (size_t m = 0; m < s.multiwordTokens.size(); ++m)
    if (s.multiwordTokens[m].last > n)
      return fail(m_mwtLines[m], "multiword token range " +
                                     std::to_string(s.multiwordTokens[m].first) + "-" +
                                     std::to_string(s.multiwordTokens[m].last) +
                                     " goes past the last word (" + std::to_string(n) + ")");
  for (size_t m = 1; m < s.multiwordTokens.size(); ++m)
    if (s.multiwordTokens[m].first <= s.multiwordTokens[m - 1].last)
      return fail(m_mwtLines[m], "multiword token ranges overlap");

  int32_t root = 0;
  for (int32_t i = 1; i <= n; ++i) {
    const int32_t head = s.heads[static_cast<size_t>(i - 1)];
    const size_t line = m_wordLines[static_cast<size_t>(i - 1)];
    if (head > n)
      return fail(line, "HEAD " + std::to_string(head) + " is out of range (the sentence has " +
                            std::to_string(n) + " words)");
    if (head == i) return fail(line, "word " + std::to_string(i) + " is its own head");
    if (head == 0) {
      if (root != 0)
        return fail(line, "second root: words " + std::to_string(root) + " and " +
                              std::to_string(i) + " both have HEAD 0");
      root = i;
    }
  }
  if (root == 0) return fail(s.line, "no root (no word has HEAD 0)");

  // Every word must reach the root; walking up from each word, a word seen
  // twice on the same walk closes a cycle. state: 0 new, 1 on walk, 2 done.
  std::vector<uint8_t> state(static_cast<size_t>(n) + 1, 0);
  state[0] = 2;
  for (int32_t start = 1; start <= n; ++start) {
    int32_t w = start;
    while (state[static_cast<size_t>(w)] == 0) {
      state[static_cast<size_t>(w)] = 1;
      w = s.heads[static_cast<size_t>(w - 1)];
    }
    if (state[static_cast<size_t>(w)] == 1) {
      std::string path = std::to_string(w);
      int shown = 0;
      for (int32_t v = s.heads[static_cast<size_t>(w - 1)]; v != w;
           v = s.heads[static_cast<size_t>(v - 1)]) {
        if (++shown > 8) { // long cycles: the first few words are enough
          path += " -> ...";
          break;
        }
        path += " -> " + std::to_string(v);
      }
      return fail(m_wordLines[static_cast<size_t>(w - 1)],
                  "cycle in HEADs: " + path + " -> " + std::to_string(w));
    }
    for (w = start; state[static_cast<size_t>(w)] == 1; w = s.heads[static_cast<size_t>(w - 1)])
      state[static_cast<size_t>(w)] = 2;
  }
}

bool ConlluReader::finishSentence(Sentence& s) {
  if (!m_pending) validateTree(s);
  if (!m_pending) {
    ++m_read;
    return true;
  }
  std::unique_ptr<InputError> error = std::move(m_pending);
  if (!m_options.skipInvalid) throw *error;
  ++m_skipped;
  if (m_errors.size() < m_options.maxKeptErrors) m_errors.push_back(*error);
  return false;
}

bool ConlluReader::next(Sentence& out) {
  std::string line;
  bool inSentence = false;
  bool sawToken = false;
  auto reset = [&] {
    out = Sentence{};
    m_pending.reset();
    m_wordLines.clear();
    m_mwtLines.clear();
    inSentence = false;
    sawToken = false;
  };
  reset();
  while (m_lines->next(line)) {
    ++m_line;
    if (m_line == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3); // byte order mark
    const bool crlf = !line.empty() && line.back() == '\r';
    if (line.empty() || (crlf && line.size() == 1)) {
      if (!inSentence) {
        if (crlf) fail(m_line, "CRLF line ending (CoNLL-U uses LF)");
        if (m_pending && !finishSentence(out)) reset();
        continue; // blank lines between sentences are tolerated
      }
      if (crlf) fail(m_line, "CRLF line ending (CoNLL-U uses LF)");
      if (finishSentence(out)) return true;
      reset();
      continue;
    }
    if (!inSentence) {
      inSentence = true;
      out.line = m_line;
    }
    if (m_pending) continue; // already invalid: skip to its end
    if (m_line - out.line >= kMaxSentenceLines) {
      fail(m_line, "sentence longer than " + std::to_string(kMaxSentenceLines) + " lines");
      continue;
    }
    if (crlf) {
      fail(m_line, "CRLF line ending (CoNLL-U uses LF)");
      continue;
    }
    if (const size_t bad = utf8::firstInvalid(line); bad != std::string::npos) {
      fail(m_line, "invalid UTF-8 at byte " + std::to_string(bad + 1));
      continue;
    }
    if (line[0] == '#') {
      if (sawToken)
        fail(m_line, "comment line inside a sentence (comments must come before the words)");
      else
        parseComment(line, out);
    } else {
      sawToken = true;
      parseTokenLine(line, out);
    }
  }
  if (inSentence) {
    fail(m_line, "the last sentence is not followed by a blank line");
    finishSentence(out); // throws, or counts the skip
  }
  return false;
}

std::vector<Sentence> ConlluReader::readAll() {
  std::vector<Sentence> all;
  Sentence s;
  while (next(s))
    all.push_back(std::move(s));
  return all;
}

std::vector<Sentence> readConllu(const std::filesystem::path& path, ConlluOptions options,
                                 size_t* skipped) {
  ConlluReader reader(path, options);
  std::vector<Sentence> all = reader.readAll();
  if (skipped) *skipped = reader.skipped();
  return all;
}

} // namespace chrysalis::text
