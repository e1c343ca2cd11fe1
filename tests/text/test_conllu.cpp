// CoNLL-U reader on hand-made input: the format's corners and every kind of
// malformed sentence, each located by file and line.
#include "text/conllu.h"
#include "text_test_util.h"

#include <gtest/gtest.h>
#include <sstream>

using chrysalis::InputError;
using namespace chrysalis::text;

namespace {

const char* kName = "mem.conllu";

// Two sentences: a multiword token, an empty node, GUM-style "key=value"
// comments and a relation subtype.
const std::string kGood = "# newdoc id = doc1\n"     // line 1
                          "# sent_id = s1\n"         // 2
                          "# text = I don't know.\n" // 3
                          "# s_type=decl\n"          // 4
                          "1\tI\tI\tPRON\tPRP\t_\t4\tnsubj\t_\t_\n"
                          "2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n"
                          "2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t_\t_\n"
                          "3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n"
                          "4\tknow\tknow\tVERB\tVB\t_\t0\troot\t0:root\tSpaceAfter=No\n"
                          "4.1\tknows\tknow\tVERB\t_\t_\t_\t_\t4:conj\tCopyOf=4\n"
                          "5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n" // 11
                          "\n"                                     // 12
                          "# sent_id = s2\n"                       // 13
                          "# newpar\n"
                          "1\tMary\tMary\tPROPN\tNNP\t_\t3\tnmod:poss\t_\tSpaceAfter=No\n"
                          "2\t's\t's\tPART\tPOS\t_\t1\tcase\t_\t_\n"
                          "3\tcat\tcat\tNOUN\tNN\t_\t0\troot\t_\t_\n"
                          "\n";

std::vector<Sentence> readString(const std::string& text, ConlluOptions options = {},
                                 size_t* skipped = nullptr) {
  std::istringstream in(text);
  ConlluReader reader(in, kName, options);
  auto all = reader.readAll();
  if (skipped) *skipped = reader.skipped();
  return all;
}

// A valid one-word sentence (3 lines with its blank line).
std::string okSentence(const std::string& id) {
  return "# sent_id = " + id + "\n1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_\n\n";
}

std::string word(int id, const std::string& head) {
  return std::to_string(id) + "\tw" + std::to_string(id) + "\tw\tX\tX\t_\t" + head +
         "\tdep\t_\t_\n";
}

struct BadCase {
  const char* name;
  std::string body;   // the bad sentence (follows a 3-line valid sentence)
  size_t line;        // where the error is expected
  const char* reason; // a fragment of the expected reason
  bool atEof = false; // the body ends the file (no valid sentence after it)
};

std::vector<BadCase> badCases() {
  // The bad sentence starts on line 4: line 4 is "# sent_id = bad".
  const std::string head = "# sent_id = bad\n";
  return {
      {"wrong column count", head + word(1, "0") + "2\tx\tx\tX\tX\t_\t1\tdep\t_\n\n", 6,
       "expected 10 tab-separated columns, found 9"},
      {"non-consecutive IDs", head + word(1, "0") + word(3, "1") + "\n", 6,
       "word ID 3 is not consecutive (expected 2)"},
      {"HEAD out of range", head + word(1, "0") + word(2, "7") + "\n", 6,
       "HEAD 7 is out of range (the sentence has 2 words)"},
      {"two roots", head + word(1, "0") + word(2, "0") + "\n", 6, "second root"},
      {"a cycle", head + word(1, "2") + word(2, "1") + word(3, "0") + "\n", 5, "cycle in HEADs"},
      {"self loop", head + word(1, "0") + word(2, "2") + "\n", 6, "is its own head"},
      {"no root", head + word(1, "2") + word(2, "1") + "\n", 4, "no root"},
      {"non-numeric HEAD", head + word(1, "0") + word(2, "x") + "\n", 6,
       "HEAD \"x\" is not a number"},
      {"non-numeric ID", head + word(1, "0") + "two\tw\tw\tX\tX\t_\t1\tdep\t_\t_\n\n", 6,
       "word ID \"two\" is not a number"},
      {"empty column", head + word(1, "0") + "2\tw\t\tX\tX\t_\t1\tdep\t_\t_\n\n", 6,
       "empty LEMMA column"},
      {"CRLF line endings", "# sent_id = bad\r\n1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_\r\n\r\n", 4,
       "CRLF"},
      {"invalid UTF-8", head + "1\tH\xC3\x28\th\tX\tX\t_\t0\troot\t_\t_\n\n", 5, "invalid UTF-8"},
      {"comment inside a sentence", head + word(1, "0") + "# late\n" + word(2, "1") + "\n", 6,
       "comment line inside a sentence"},
      {"range not at the next word",
       head + word(1, "0") + "3-4\tab\t_\t_\t_\t_\t_\t_\t_\t_\n" + word(2, "1") + "\n", 6,
       "does not start at the next word"},
      {"range past the last word", head + "1-2\tab\t_\t_\t_\t_\t_\t_\t_\t_\n" + word(1, "0") + "\n",
       5, "goes past the last word"},
      {"misplaced empty node", head + word(1, "0") + "3.1\tw\tw\tX\tX\t_\t_\t_\t_\t_\n\n", 6,
       "is out of place"},
      {"no words", head + "# text = nothing\n\n", 4, "sentence has no words"},
      {"missing blank line at EOF", head + word(1, "0") + word(2, "1"), 6,
       "not followed by a blank line", true},
  };
}

} // namespace

TEST(Conllu, ReadsWordsTreeAndComments) {
  const auto sentences = readString(kGood);
  ASSERT_EQ(sentences.size(), 2u);
  const Sentence& s = sentences[0];
  EXPECT_EQ(s.sentId, "s1");
  EXPECT_EQ(s.text, "I don't know.");
  EXPECT_EQ(s.line, 1u);
  EXPECT_EQ(s.words, (std::vector<std::string>{"I", "do", "n't", "know", "."}));
  EXPECT_EQ(s.lemmas, (std::vector<std::string>{"I", "do", "not", "know", "."}));
  EXPECT_EQ(s.upos, (std::vector<std::string>{"PRON", "AUX", "PART", "VERB", "PUNCT"}));
  EXPECT_EQ(s.heads, (std::vector<int32_t>{4, 4, 4, 0, 4}));
  EXPECT_EQ(s.relations, (std::vector<std::string>{"nsubj", "aux", "advmod", "root", "punct"}));
  EXPECT_EQ(s.misc[3], "SpaceAfter=No");
  EXPECT_EQ(s.deps[3], "0:root");
  ASSERT_EQ(s.comments.size(), 2u);
  EXPECT_EQ(s.comments[0].key, "newdoc id");
  EXPECT_EQ(s.comments[0].value, "doc1");
  EXPECT_EQ(s.comments[1].key, "s_type"); // "key=value" without spaces (GUM)
  EXPECT_EQ(s.comments[1].value, "decl");

  const Sentence& t = sentences[1];
  EXPECT_EQ(t.line, 13u);
  EXPECT_EQ(t.text, "");
  ASSERT_EQ(t.comments.size(), 1u);
  EXPECT_EQ(t.comments[0].key, "newpar");
  EXPECT_FALSE(t.comments[0].hasValue);
  EXPECT_EQ(t.relations[0], "nmod:poss"); // the subtype is kept
  EXPECT_EQ(t.heads, (std::vector<int32_t>{3, 1, 0}));
}

TEST(Conllu, MultiwordTokensKeepTheSurfaceText) {
  const auto sentences = readString(kGood);
  const Sentence& s = sentences[0];
  ASSERT_EQ(s.multiwordTokens.size(), 1u);
  EXPECT_EQ(s.multiwordTokens[0].first, 2);
  EXPECT_EQ(s.multiwordTokens[0].last, 3);
  EXPECT_EQ(s.multiwordTokens[0].form, "don't");
  EXPECT_EQ(s.surfaceTokens(), (std::vector<std::string>{"I", "don't", "know", "."}));
  EXPECT_EQ(sentences[1].surfaceTokens(), sentences[1].words);
}

TEST(Conllu, EmptyNodesStayOutOfTheTree) {
  const Sentence s = readString(kGood)[0];
  EXPECT_EQ(s.size(), 5u); // 4.1 is not a word
  ASSERT_EQ(s.emptyNodes.size(), 1u);
  EXPECT_EQ(s.emptyNodes[0].after, 4);
  EXPECT_EQ(s.emptyNodes[0].index, 1);
  EXPECT_EQ(s.emptyNodes[0].form, "knows");
  EXPECT_EQ(s.emptyNodes[0].deps, "4:conj");
}

TEST(Conllu, StreamsOneSentenceAtATime) {
  std::istringstream in(kGood);
  ConlluReader reader(in, kName);
  Sentence s;
  ASSERT_TRUE(reader.next(s));
  EXPECT_EQ(s.sentId, "s1");
  ASSERT_TRUE(reader.next(s));
  EXPECT_EQ(s.sentId, "s2");
  EXPECT_TRUE(s.multiwordTokens.empty()); // nothing left over from s1
  EXPECT_FALSE(reader.next(s));
  EXPECT_EQ(reader.sentencesRead(), 2u);
}

TEST(Conllu, ToleratesExtraBlankLinesAndAByteOrderMark) {
  const auto sentences = readString("\xEF\xBB\xBF" + okSentence("a") + "\n\n" + okSentence("b"));
  ASSERT_EQ(sentences.size(), 2u);
  EXPECT_EQ(sentences[0].sentId, "a");
  EXPECT_EQ(sentences[1].line, 6u);
}

TEST(Conllu, EmptyInputHasNoSentences) {
  EXPECT_TRUE(readString("").empty());
  EXPECT_TRUE(readString("\n\n").empty());
}

TEST(Conllu, EachMalformedSentenceNamesFileAndLine) {
  for (const BadCase& c : badCases()) {
    SCOPED_TRACE(c.name);
    const std::string doc = okSentence("a") + c.body + (c.atEof ? "" : okSentence("b"));
    try {
      readString(doc);
      ADD_FAILURE() << "no error";
    } catch (const InputError& e) {
      EXPECT_EQ(e.file(), kName);
      EXPECT_EQ(e.place(), "line " + std::to_string(c.line));
      EXPECT_NE(e.reason().find(c.reason), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(std::string(kName) + ": line "), std::string::npos);
    }
  }
}

TEST(Conllu, SkipModeCountsAndReportsBadSentences) {
  for (const BadCase& c : badCases()) {
    SCOPED_TRACE(c.name);
    const std::string doc = okSentence("a") + c.body + (c.atEof ? "" : okSentence("b"));
    std::istringstream in(doc);
    ConlluOptions options;
    options.skipInvalid = true;
    ConlluReader reader(in, kName, options);
    const auto sentences = reader.readAll();
    ASSERT_EQ(sentences.size(), c.atEof ? 1u : 2u);
    EXPECT_EQ(sentences[0].sentId, "a");
    if (!c.atEof) {
      EXPECT_EQ(sentences[1].sentId, "b");
    }
    EXPECT_EQ(reader.skipped(), 1u);
    ASSERT_EQ(reader.errors().size(), 1u);
    EXPECT_EQ(reader.errors()[0].place(), "line " + std::to_string(c.line));
  }
}

TEST(Conllu, SkipModeKeepsOnlyTheFirstFewErrors) {
  std::string doc;
  for (int i = 0; i < 25; ++i)
    doc += "# sent_id = bad\n" + word(1, "0") + word(2, "0") + "\n";
  doc += okSentence("good");
  std::istringstream in(doc);
  ConlluOptions options;
  options.skipInvalid = true;
  options.maxKeptErrors = 5;
  ConlluReader reader(in, kName, options);
  const auto sentences = reader.readAll();
  ASSERT_EQ(sentences.size(), 1u);
  EXPECT_EQ(reader.skipped(), 25u);
  ASSERT_EQ(reader.errors().size(), 5u);
  EXPECT_EQ(reader.errors()[0].place(), "line 3");
  EXPECT_EQ(reader.errors()[1].place(), "line 7");
}

TEST(Conllu, StrictModeCanContinueAfterAnError) {
  std::istringstream in(okSentence("a") + "# sent_id = bad\n" + word(1, "0") + word(2, "0") + "\n" +
                        okSentence("b"));
  ConlluReader reader(in, kName);
  Sentence s;
  ASSERT_TRUE(reader.next(s));
  EXPECT_THROW(reader.next(s), InputError);
  ASSERT_TRUE(reader.next(s)); // the bad sentence was consumed whole
  EXPECT_EQ(s.sentId, "b");
}

TEST(Conllu, FilesAreNamedInErrors) {
  chrysalis::test::ScratchDir dir;
  const auto path = dir / "bad.conllu";
  chrysalis::test::writeFile(path, okSentence("a") + "# sent_id = x\n" + word(1, "5") + "\n");
  try {
    readConllu(path);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), path.string());
    EXPECT_EQ(e.place(), "line 5");
  }
  size_t skipped = 0;
  ConlluOptions options;
  options.skipInvalid = true;
  EXPECT_EQ(readConllu(path, options, &skipped).size(), 1u);
  EXPECT_EQ(skipped, 1u);
  EXPECT_THROW(readConllu(dir / "missing.conllu"), InputError);
}
