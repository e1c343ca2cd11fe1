// Word → piece alignment for pre-split sentences, on hand-made words and on
// every sentence of the nine shared treebanks.
#include "text/conllu.h"
#include "text/wordpiece.h"
#include "text_test_util.h"

#include <gtest/gtest.h>

using namespace chrysalis::text;
using chrysalis::test::sharedData;

namespace {
const WordPieceTokenizer& bert() {
  static const WordPieceTokenizer tokenizer(Vocab::load(chrysalis::test::bertVocab()));
  return tokenizer;
}

// The invariants every alignment must meet; returns the number of failures.
size_t checkAlignment(const WordAlignment& a, size_t words, size_t maxPositions,
                      const SpecialIds& sp) {
  size_t bad = 0;
  bad += a.spans.size() != words;
  bad += a.ids.size() > maxPositions;
  bad += a.ids.empty() || a.ids.front() != sp.cls || a.ids.back() != sp.sep;
  int32_t next = 1; // the piece after [CLS]
  for (size_t w = 0; w < a.keptWords && w < a.spans.size(); ++w) {
    bad += a.spans[w].begin != next;
    bad += a.spans[w].size() < 1;
    next = a.spans[w].end;
  }
  bad += next != static_cast<int32_t>(a.ids.size()) - 1; // kept words cover up to [SEP]
  for (size_t w = a.keptWords; w < a.spans.size(); ++w)
    bad += a.spans[w].begin != next || a.spans[w].end != next;
  return bad;
}
} // namespace

TEST(Alignment, SpansPointIntoTheSequence) {
  CHRYSALIS_REQUIRE_SHARED_DATA();
  const std::vector<std::string> words = {"Café", "don't", "unaffable", "."};
  const WordAlignment a = bert().encodeWords(words);
  // [CLS] cafe | don ' t | una ##ffa ##ble | . [SEP]
  EXPECT_EQ(a.ids,
            (std::vector<int32_t>{101, 7668, 2123, 1005, 1056, 14477, 20961, 3468, 1012, 102}));
  ASSERT_EQ(a.spans.size(), 4u);
  EXPECT_EQ(a.spans[0].begin, 1);
  EXPECT_EQ(a.spans[0].end, 2);
  EXPECT_EQ(a.spans[1].begin, 2);
  EXPECT_EQ(a.spans[1].end, 5);
  EXPECT_EQ(a.spans[2].begin, 5);
  EXPECT_EQ(a.spans[2].end, 8);
  EXPECT_EQ(a.spans[3].begin, 8);
  EXPECT_EQ(a.spans[3].end, 9);
  EXPECT_EQ(a.keptWords, 4u);
  EXPECT_EQ(a.truncatedCount(), 0u);
}

TEST(Alignment, WordsWithoutPiecesGetUnk) {
  CHRYSALIS_REQUIRE_SHARED_DATA();
  // A control character alone tokenizes to nothing; it still needs a slot.
  const WordAlignment a = bert().encodeWords({"a", "\x01", "b"});
  EXPECT_EQ(a.ids, (std::vector<int32_t>{101, 1037, 100, 1038, 102}));
  EXPECT_EQ(a.spans[1].begin, 2);
  EXPECT_EQ(a.spans[1].end, 3);
}

TEST(Alignment, TruncationDropsWholeWords) {
  CHRYSALIS_REQUIRE_SHARED_DATA();
  // "unaffable" needs 3 pieces: with 6 positions only "a" and "b" (1 each) fit.
  const WordAlignment a = bert().encodeWords({"a", "b", "unaffable", "c"}, 6);
  EXPECT_EQ(a.ids, (std::vector<int32_t>{101, 1037, 1038, 102}));
  EXPECT_EQ(a.keptWords, 2u);
  EXPECT_TRUE(a.truncated(2));
  EXPECT_TRUE(a.truncated(3)); // even though "c" alone would fit: a prefix is kept
  EXPECT_EQ(a.spans[2].begin, 3);
  EXPECT_EQ(a.spans[2].end, 3);
  EXPECT_EQ(a.truncatedCount(), 2u);
  EXPECT_THROW(bert().encodeWords({"a"}, 1), std::invalid_argument);
}

TEST(Alignment, EverySharedTreebankSentenceAligns) {
  CHRYSALIS_REQUIRE_SHARED_DATA();
  const SpecialIds& sp = bert().vocab().specials();
  size_t sentences = 0, failures = 0, truncatedSentences = 0, unkWords = 0, words = 0;
  for (const auto& f : chrysalis::test::treebankFiles()) {
    ConlluReader reader(sharedData() / f.path);
    Sentence s;
    while (reader.next(s)) {
      ++sentences;
      words += s.size();
      const WordAlignment full = bert().encodeWords(s.words, 512);
      failures += checkAlignment(full, s.size(), 512, sp);
      failures += full.keptWords != s.size(); // 512 positions hold every UD sentence here
      for (const PieceSpan& span : full.spans)
        unkWords += span.size() == 1 && full.ids[static_cast<size_t>(span.begin)] == sp.unk;
      const WordAlignment short128 = bert().encodeWords(s.words, 128);
      failures += checkAlignment(short128, s.size(), 128, sp);
      truncatedSentences += short128.truncatedCount() > 0;
    }
  }
  EXPECT_EQ(sentences, 27745u);
  EXPECT_EQ(failures, 0u);
  // At least the two sentences of over 128 words lose words at 128 positions.
  EXPECT_GE(truncatedSentences, 2u);
  EXPECT_LT(unkWords * 1000, words); // under 0.1% of UD words are [UNK]
}
