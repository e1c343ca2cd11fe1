// CoNLL-U reader on the real UD treebanks: exact counts from
// shared/data/README.md for all nine files, and the surface text rebuilt from
// tokens (multiword tokens + SpaceAfter=No) equals every "# text".
#include "text/conllu.h"
#include "text/utf8.h"
#include "text_test_util.h"

#include <gtest/gtest.h>

using namespace chrysalis::text;
using chrysalis::test::sharedData;
using chrysalis::test::treebankFiles;

namespace {
// Decodes a SpacesAfter= value (UD escapes: \s \t \n \\ \uXXXX).
std::string unescapeSpaces(const std::string& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] != '\\' || i + 1 >= v.size()) {
      out += v[i];
      continue;
    }
    const char c = v[++i];
    if (c == 's') {
      out += ' ';
    } else if (c == 't') {
      out += '\t';
    } else if (c == 'n') {
      out += '\n';
    } else if (c == 'u' && i + 4 < v.size()) {
      chrysalis::text::utf8::append(
          out, static_cast<char32_t>(std::stoul(v.substr(i + 1, 4), nullptr, 16)));
      i += 4;
    } else {
      out += c;
    }
  }
  return out;
}

// What follows a token in the text according to its MISC column.
std::string spaceAfter(const std::string& misc) {
  size_t start = 0;
  while (start <= misc.size()) {
    size_t bar = misc.find('|', start);
    if (bar == std::string::npos) bar = misc.size();
    const std::string item = misc.substr(start, bar - start);
    if (item == "SpaceAfter=No") return "";
    if (item.rfind("SpacesAfter=", 0) == 0) return unescapeSpaces(item.substr(12));
    start = bar + 1;
  }
  return " ";
}

// The sentence text as its tokens spell it.
std::string rebuildText(const Sentence& s) {
  std::string text;
  size_t m = 0;
  for (int32_t w = 1; w <= static_cast<int32_t>(s.size()); ++w) {
    const std::string* form = &s.words[static_cast<size_t>(w - 1)];
    const std::string* misc = &s.misc[static_cast<size_t>(w - 1)];
    if (m < s.multiwordTokens.size() && s.multiwordTokens[m].first == w) {
      form = &s.multiwordTokens[m].form;
      misc = &s.multiwordTokens[m].misc;
      w = s.multiwordTokens[m].last;
      ++m;
    }
    text += *form;
    if (w < static_cast<int32_t>(s.size())) text += spaceAfter(*misc);
  }
  return text;
}
} // namespace

TEST(ConlluTreebanks, CountsMatchTheReadme) {
  CHRYSALIS_REQUIRE_SHARED_DATA();
  for (const auto& f : treebankFiles()) {
    SCOPED_TRACE(f.path);
    ConlluReader reader(sharedData() / f.path);
    Sentence s;
    size_t sentences = 0, words = 0, surface = 0, mwt = 0, empty = 0, longest = 0;
    size_t textMismatches = 0;
    while (reader.next(s)) {
      ++sentences;
      words += s.size();
      surface += s.surfaceTokens().size();
      mwt += s.multiwordTokens.size();
      empty += s.emptyNodes.size();
      longest = std::max(longest, s.size());
      EXPECT_FALSE(s.sentId.empty());
      EXPECT_FALSE(s.text.empty());
      if (rebuildText(s) != s.text) ++textMismatches;
    }
    EXPECT_EQ(reader.skipped(), 0u);
    EXPECT_EQ(sentences, f.sentences);
    EXPECT_EQ(words, f.words);
    EXPECT_EQ(surface, f.surfaceTokens);
    EXPECT_EQ(mwt, f.multiwordTokens);
    EXPECT_EQ(empty, f.emptyNodes);
    EXPECT_EQ(longest, f.longest);
    EXPECT_EQ(textMismatches, 0u);
  }
}

TEST(ConlluTreebanks, FirstEwtSentenceInDetail) {
  CHRYSALIS_REQUIRE_SHARED_DATA();
  ConlluReader reader(sharedData() / treebankFiles()[0].path);
  Sentence s;
  ASSERT_TRUE(reader.next(s));
  EXPECT_EQ(s.line, 1u);
  EXPECT_EQ(s.sentId, "weblog-juancole.com_juancole_20051126063000_ENG_20051126_063000-0001");
  ASSERT_EQ(s.size(), 29u);
  EXPECT_EQ(s.words[0], "Al");
  EXPECT_EQ(s.heads[0], 0);
  EXPECT_EQ(s.relations[0], "root");
  EXPECT_EQ(s.words[6], "killed");
  EXPECT_EQ(s.heads[6], 1);
  EXPECT_EQ(s.relations[6], "parataxis");
  EXPECT_EQ(s.deps[17], "15:nmod:at"); // enhanced relation subtypes stay verbatim
  ASSERT_TRUE(reader.next(s));
  EXPECT_GT(s.line, 30u);
}

TEST(ConlluTreebanks, RelationSubtypesAreKept) {
  CHRYSALIS_REQUIRE_SHARED_DATA();
  const auto sentences = readConllu(sharedData() / treebankFiles()[1].path); // EWT dev
  size_t poss = 0, withColon = 0;
  for (const Sentence& s : sentences)
    for (const std::string& r : s.relations) {
      poss += r == "nmod:poss";
      withColon += r.find(':') != std::string::npos;
    }
  EXPECT_GT(poss, 100u);
  EXPECT_GT(withColon, poss);
}
