// WordPiece tokenizer against Hugging Face's BertTokenizer.
//
// How the expected pieces were checked: each was derived by hand from the
// algorithm and the vocabulary (grep -n -x in bert-base-uncased-vocab.txt;
// id = line - 1, noted next to each case), and the same strings were run
// through a line-by-line Python transcription of Hugging Face's slow
// BertTokenizer (transformers 4.x: _clean_text, _tokenize_chinese_chars, NFC,
// lower(), NFD + drop Mn, _run_split_on_punc, WordpieceTokenizer) under
// Debian's /usr/bin/python3 (unicodedata 14.0). That transcription and this
// tokenizer also agreed on all 27,745 UD "# text" lines, 3,000 WikiText lines
// and 20,000 random Unicode strings, cased and uncased.
#include "text/wordpiece.h"
#include "text_test_util.h"

#include <gtest/gtest.h>
#include <sstream>

using namespace chrysalis::text;
using Pieces = std::vector<std::string>;

namespace {
const WordPieceTokenizer& bert() {
  static const WordPieceTokenizer tokenizer(Vocab::load(chrysalis::test::bertVocab()));
  return tokenizer;
}

// A hand-made cased vocabulary (Hugging Face reads the same file the same way).
Vocab miniVocab() {
  std::istringstream in("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nCaf\xC3\xA9\nCaf\n##\xC3\xA9\n##e\n"
                        "na\xC3\xAFve\nHello\n,\n!\nhello\n");
  return Vocab::read(in, "mini.txt");
}
} // namespace

TEST(WordPiece, AccentsAreStrippedWhenUncased) {
  CHRYSALIS_REQUIRE_SHARED_DATA();
  // lower + NFD + drop Mn: cafe (7668) naive (15743) resume (13746).
  EXPECT_EQ(bert().tokenize("Café naïve résumé"), (Pieces{"cafe", "naive", "resume"}));
  // Already decomposed input ends up the same.
  EXPECT_EQ(bert().tokenize("Cafe\xCC\x81"), (Pieces{"cafe"}));
}

TEST(WordPiece, PunctuationIsSplitOff) {
  CHRYSALIS_REQUIRE_SHARED_DATA();
  // ' is ASCII punctuation: don (2123) ' (1005) t (1056).
  EXPECT_EQ(bert().tokenize("don't"), (Pieces{"don", "'", "t"}));
  EXPECT_EQ(bert().tokenize("state-of-the-art"),
            (Pieces{"state", "-", "of", "-", "the", "-", "art"}));
  // "14159" is not in the vocabulary; longest prefix 141 (15471), then ##59 (28154).
  EXPECT_EQ(bert().tokenize("3.14159"), (Pieces{"3", ".", "141", "##59"}));
  // "frag" is missing: fra (25312) + ##g (2290).
  EXPECT_EQ(bert().tokenize("https://example.com/path?q=1&x=y#frag"),
            (Pieces{"https", ":", "/", "/", "example", ".", "com", "/", "path", "?",
                    "q",     "=", "1", "&", "x",       "=", "y",   "#", "fra",  "##g"}));
  // Unicode P* categories split too (« » are Pi/Pf, — is Pd, … is Po).
  EXPECT_EQ(bert().tokenize("«quotes» — end…"), (Pieces{"«", "quotes", "»", "—", "end", "…"}));
}

TEST(WordPiece, UnknownCharactersAndWords) {
  CHRYSALIS_REQUIRE_SHARED_DATA();
  // U+1F600 is not in the vocabulary, so its word is [UNK]; "emoji" is
  // missing too, so it falls back to em (7861) ##oj (29147) ##i (2072).
  EXPECT_EQ(bert().tokenize("I love \xF0\x9F\x98\x80 emoji"),
            (Pieces{"i", "love", "[UNK]", "em", "##oj", "##i"}));
  // Fullwidth letters are neither CJK nor in the vocabulary.
  EXPECT_EQ(bert().tokenize("\xEF\xBC\xA6\xEF\xBD\x95\xEF\xBD\x8C\xEF\xBD\x8C"), (Pieces{"[UNK]"}));
}

TEST(WordPiece, CjkIdeographsAreSeparateTokens) {
  CHRYSALIS_REQUIRE_SHARED_DATA();
  // 中 (1746) and 文 (1861) are in the vocabulary, 字 is not.
  EXPECT_EQ(bert().tokenize("中文字"), (Pieces{"中", "文", "[UNK]"}));
}

TEST(WordPiece, LongWordsBecomeUnknown) {
  CHRYSALIS_REQUIRE_SHARED_DATA();
  EXPECT_EQ(bert().tokenize(std::string(150, 'x')), (Pieces{"[UNK]"}));
  EXPECT_EQ(bert().tokenize(std::string(101, 'a')), (Pieces{"[UNK]"}));
  // 100 code points is still allowed: aaa (13360), 48 × ##aa (11057), ##a (2050).
  const Pieces hundred = bert().tokenize(std::string(100, 'a'));
  ASSERT_EQ(hundred.size(), 50u);
  EXPECT_EQ(hundred.front(), "aaa");
  EXPECT_EQ(hundred[1], "##aa");
  EXPECT_EQ(hundred.back(), "##a");
  // The limit counts code points after accent stripping: 99 x + é is 100.
  const Pieces accented = bert().tokenize(std::string(99, 'x') + "\xC3\xA9");
  EXPECT_EQ(accented.front(), "xx");
  EXPECT_EQ(accented.back(), "##e");
}

TEST(WordPiece, GreedyLongestMatch) {
  CHRYSALIS_REQUIRE_SHARED_DATA();
  // Not "un ##aff ##able" (Google's docstring example): this vocabulary has
  // una (14477) and ##ffa (20961), which match longer first.
  EXPECT_EQ(bert().tokenize("unaffable"), (Pieces{"una", "##ffa", "##ble"}));
  EXPECT_EQ(bert().tokenize("qzxqzx"), (Pieces{"q", "##z", "##x", "##q", "##z", "##x"}));
}

TEST(WordPiece, TextCleanup) {
  CHRYSALIS_REQUIRE_SHARED_DATA();
  // NUL, U+FFFD, control characters and malformed bytes vanish without
  // breaking the word; every whitespace character separates words.
  EXPECT_EQ(bert().tokenize(std::string("hello\0world\xEF\xBF\xBD!", 15)),
            (Pieces{"hello", "##world", "!"}));
  EXPECT_EQ(bert().tokenize("hello\xFFworld"), (Pieces{"hello", "##world"}));
  EXPECT_EQ(bert().tokenize("a\x01"
                            "b"),
            bert().tokenize("ab"));
  EXPECT_EQ(
      bert().tokenize("tab\tseparated\nlines\r\nand\xC2\xA0nbsp\xE3\x80\x80ideographic"),
      (Pieces{"tab", "separated", "lines", "and", "n", "##bs", "##p", "id", "##eo", "##graphic"}));
  EXPECT_EQ(bert().tokenize("hello\xE2\x80\xA8world"), (Pieces{"hello", "world"})); // U+2028
  EXPECT_TRUE(bert().tokenize("  \t ").empty());
  EXPECT_TRUE(bert().tokenize("\xCC\x81").empty()); // a lone combining accent
  EXPECT_EQ(bert().tokenize("İstanbul"), (Pieces{"istanbul"}));
}

TEST(WordPiece, LiteralSpecialTokensStayWhole) {
  CHRYSALIS_REQUIRE_SHARED_DATA();
  EXPECT_EQ(bert().tokenize("Hello[MASK]world [CLS] x [SEP] [mask]"),
            (Pieces{"hello", "[MASK]", "world", "[CLS]", "x", "[SEP]", "[", "mask", "]"}));
  WordPieceOptions options;
  options.keepSpecialTokens = false;
  WordPieceTokenizer split(Vocab::load(chrysalis::test::bertVocab()), options);
  EXPECT_EQ(split.tokenize("[MASK]"), (Pieces{"[", "mask", "]"}));
}

TEST(WordPiece, EncodeAddsClsSepAndTruncates) {
  CHRYSALIS_REQUIRE_SHARED_DATA();
  // hello 7592, "," 1010, world 2088, "!" 999.
  const Encoding e = bert().encode("Hello, World!");
  EXPECT_EQ(e.ids, (std::vector<int32_t>{101, 7592, 1010, 2088, 999, 102}));
  EXPECT_FALSE(e.truncated);
  const Encoding cut = bert().encode("Hello, World!", 4);
  EXPECT_EQ(cut.ids, (std::vector<int32_t>{101, 7592, 1010, 102}));
  EXPECT_TRUE(cut.truncated);
  EXPECT_EQ(bert().encode("", 2).ids, (std::vector<int32_t>{101, 102}));
  EXPECT_THROW(bert().encode("x", 1), std::invalid_argument);
}

TEST(WordPiece, CasedKeepsCaseAndAccents) {
  const WordPieceTokenizer cased(miniVocab(), WordPieceOptions::cased());
  EXPECT_EQ(cased.tokenize("Café naïve Hello, world!"),
            (Pieces{"Café", "naïve", "Hello", ",", "[UNK]", "!"}));
  EXPECT_EQ(cased.tokenize("Cafe\xCC\x81"), (Pieces{"Café"})); // NFC first
  EXPECT_EQ(cased.tokenize("Cafe"), (Pieces{"Caf", "##e"}));
  EXPECT_EQ(cased.tokenize("CAFÉ"), (Pieces{"[UNK]"}));
  const WordPieceTokenizer uncased(miniVocab(), WordPieceOptions::uncased());
  EXPECT_EQ(uncased.tokenize("Café naïve Hello, world!"),
            (Pieces{"[UNK]", "[UNK]", "hello", ",", "[UNK]", "!"}));
}
