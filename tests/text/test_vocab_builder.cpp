// Vocabulary builder: exact output on tiny corpora, and on real text the
// requested size, determinism, few [UNK]s and a round trip through vocab.txt.
#include "text/conllu.h"
#include "text/vocab_builder.h"
#include "text/wordpiece.h"
#include "text_test_util.h"

#include <gtest/gtest.h>
#include <set>

using namespace chrysalis::text;
using Tokens = std::vector<std::string>;

namespace {
VocabBuilderOptions withSize(size_t size) {
  VocabBuilderOptions o;
  o.vocabSize = size;
  return o;
}

std::vector<std::string> ewtDevText() {
  std::vector<std::string> lines;
  for (const Sentence& s :
       readConllu(chrysalis::test::sharedData() / "ud/UD_English-EWT/en_ewt-ud-dev.conllu"))
    lines.push_back(s.text);
  return lines;
}
} // namespace

TEST(VocabBuilder, MergesTheMostFrequentPairFirst) {
  // Words: ab ×3, abc ×1. (a, ##b) occurs 4 times → "ab"; then (ab, ##c)
  // once → "abc"; then no pair is left, so the vocabulary stays smaller
  // than asked. Lower-casing applies as in the tokenizer.
  const Tokens v = buildWordPieceVocab({"ab AB ab", "abc"}, withSize(100));
  EXPECT_EQ(v, (Tokens{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "c", "##a", "##b",
                       "##c", "ab", "abc"}));
}

TEST(VocabBuilder, TiesGoToTheSmallestPiece) {
  // (x, ##y) and (a, ##b) both occur once: "ab" sorts first.
  const Tokens v = buildWordPieceVocab({"xy ab"}, withSize(14));
  ASSERT_EQ(v.size(), 14u);
  EXPECT_EQ(v.back(), "ab");
}

TEST(VocabBuilder, AlphabetIsCutByFrequencyWhenTooSmall) {
  // Room for 1 character (2 entries): "a" is the most frequent.
  const Tokens v = buildWordPieceVocab({"a a a b"}, withSize(7));
  EXPECT_EQ(v, (Tokens{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "##a"}));
  EXPECT_THROW(buildWordPieceVocab({"a"}, withSize(4)), std::invalid_argument);
  EXPECT_EQ(buildWordPieceVocab({}, withSize(10)).size(), 5u);
}

TEST(VocabBuilder, BuildsAUsableVocabularyFromRealText) {
  CHRYSALIS_REQUIRE_SHARED_DATA();
  const std::vector<std::string> corpus = ewtDevText();
  ASSERT_EQ(corpus.size(), 2001u);
  const Tokens v = buildWordPieceVocab(corpus, withSize(2000));
  ASSERT_EQ(v.size(), 2000u);
  EXPECT_EQ(buildWordPieceVocab(corpus, withSize(2000)), v); // deterministic
  EXPECT_EQ(std::set<std::string>(v.begin(), v.end()).size(), v.size());
  EXPECT_EQ(Tokens(v.begin(), v.begin() + 5),
            (Tokens{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}));
  // A smaller build is a prefix of a larger one (same merge sequence).
  const Tokens small = buildWordPieceVocab(corpus, withSize(1000));
  EXPECT_TRUE(std::equal(small.begin(), small.end(), v.begin()));

  chrysalis::test::ScratchDir dir;
  Vocab::fromTokens(v, "built").save(dir / "vocab.txt");
  const WordPieceTokenizer tokenizer(Vocab::load(dir / "vocab.txt"));
  EXPECT_EQ(tokenizer.vocab().tokens(), v);
  size_t pieces = 0, unknown = 0, words = 0;
  for (const std::string& line : corpus) {
    const auto ids = tokenizer.tokenizeIds(line);
    pieces += ids.size();
    for (int32_t id : ids)
      unknown += id == tokenizer.vocab().specials().unk;
    words += BasicTokenizer().tokenize(line).size();
  }
  // Every character is in the alphabet, so only >100-character words could
  // be [UNK]; frequent words are whole pieces, so pieces/word stays low.
  EXPECT_EQ(unknown, 0u);
  EXPECT_LT(static_cast<double>(pieces) / static_cast<double>(words), 1.6);
  EXPECT_NE(tokenizer.vocab().find("the"), Vocab::kMissing);
}
