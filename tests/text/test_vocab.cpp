// vocab.txt loading: the real BERT vocabulary and every rejected kind of file.
#include "text/vocab.h"
#include "text_test_util.h"

#include <gtest/gtest.h>
#include <sstream>

using chrysalis::InputError;
using namespace chrysalis::text;

namespace {
const std::string kSpecials = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n";

Vocab readString(const std::string& text) {
  std::istringstream in(text);
  return Vocab::read(in, "mem.txt");
}

void expectError(const std::string& text, const std::string& place, const std::string& reason) {
  try {
    readString(text);
    ADD_FAILURE() << "no error for: " << text;
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "mem.txt");
    EXPECT_EQ(e.place(), place);
    EXPECT_NE(e.reason().find(reason), std::string::npos) << e.what();
  }
}
} // namespace

TEST(Vocab, LoadsTheBertVocabulary) {
  CHRYSALIS_REQUIRE_SHARED_DATA();
  const Vocab v = Vocab::load(chrysalis::test::bertVocab());
  // Ids from shared/data/README.md.
  EXPECT_EQ(v.size(), 30522u);
  EXPECT_EQ(v.specials().pad, 0);
  EXPECT_EQ(v.specials().unk, 100);
  EXPECT_EQ(v.specials().cls, 101);
  EXPECT_EQ(v.specials().sep, 102);
  EXPECT_EQ(v.specials().mask, 103);
  EXPECT_EQ(v.find("the"), 1996);
  EXPECT_EQ(v.find("hello"), 7592);
  EXPECT_EQ(v.token(999), "!");
  EXPECT_EQ(v.token(30521), "##～");
  EXPECT_EQ(v.findContinuation("～"), 30521);
  EXPECT_EQ(v.find("##～"), 30521);
  EXPECT_EQ(v.find("no-such-token"), Vocab::kMissing);
  size_t continuations = 0;
  for (const std::string& t : v.tokens())
    continuations += t.rfind("##", 0) == 0;
  EXPECT_EQ(continuations, 5828u);
}

TEST(Vocab, StripsCarriageReturns) {
  const Vocab v = readString("[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\n[MASK]\r\nhello\r\n##s\r\n");
  EXPECT_EQ(v.size(), 7u);
  EXPECT_EQ(v.find("hello"), 5);
  EXPECT_EQ(v.findContinuation("s"), 6);
}

TEST(Vocab, SpecialTokensMayBeAnywhere) {
  const Vocab v = readString("a\n[MASK]\n[SEP]\n[CLS]\n[UNK]\n[PAD]\n");
  EXPECT_EQ(v.specials().pad, 5);
  EXPECT_EQ(v.specials().mask, 1);
}

TEST(Vocab, RejectsBadFiles) {
  expectError("", "", "the vocabulary is empty");
  expectError(kSpecials + "a\nb\na\n", "line 8", "duplicate token \"a\" (first on line 6)");
  expectError("[PAD]\n[UNK]\n[CLS]\n[SEP]\nword\n", "", "missing special token [MASK]");
  expectError(kSpecials + "ok\nbad\xFF\n", "line 7", "invalid UTF-8");
  expectError(kSpecials + "ok\n\nnext\n", "line 7", "empty token");
  expectError(kSpecials + "\xED\xA0\x80\n", "line 6", "invalid UTF-8"); // a UTF-16 surrogate
}

TEST(Vocab, SavesAndLoadsBack) {
  chrysalis::test::ScratchDir dir;
  const Vocab v = readString(kSpecials + "caf\xC3\xA9\n##s\n");
  v.save(dir / "vocab.txt");
  const Vocab back = Vocab::load(dir / "vocab.txt");
  EXPECT_EQ(back.tokens(), v.tokens());
  EXPECT_THROW(Vocab::load(dir / "missing.txt"), InputError);
}
