// Text inputs that are not what their names say (issue 19, items 2 and 3):
// FIFOs, devices and endless lines. Reads that could block run in a forked
// child with an alarm (test::readEnding) and must be refused at once.
#include "common/error.h"
#include "common/line_reader.h"
#include "test_support.h"
#include "text/blimp.h"
#include "text/conllu.h"
#include "text/vocab.h"

#include <gtest/gtest.h>

#include <sstream>

using namespace chrysalis;
using test::Ending;
namespace fs = std::filesystem;

TEST(HostileTextInputs, FifosAreRefusedByEveryTextReader) {
  test::ScratchDir dir;
  for (const char* name : {"vocab.txt", "dev.conllu", "passive_1.jsonl"})
    test::makeFifo(dir / name);
  EXPECT_REFUSED(test::readEnding([&] { text::Vocab::load(dir / "vocab.txt"); }, "vocab.txt",
                                  "a FIFO, not a regular file"));
  EXPECT_REFUSED(
      test::readEnding([&] { text::readConllu(dir / "dev.conllu"); }, "dev.conllu", "a FIFO"));
  EXPECT_REFUSED(test::readEnding([&] { text::readBlimpFile(dir / "passive_1.jsonl"); },
                                  "passive_1.jsonl", "a FIFO"));
}

TEST(HostileTextInputs, DevicesAreRefused) {
  EXPECT_REFUSED(
      test::readEnding([] { text::Vocab::load("/dev/zero"); }, "/dev/zero", "a character device"));
  EXPECT_REFUSED(test::readEnding([] { text::readConllu("/dev/urandom"); }, "/dev/urandom",
                                  "a character device"));
}

TEST(HostileTextInputs, OverlongLinesAreRefusedNamingTheLine) {
  std::istringstream conllu("# sent_id = 1\n" + std::string(2 << 20, 'x') + "\n\n");
  try {
    text::ConlluReader(conllu, "big.conllu").readAll();
    ADD_FAILURE() << "a 2 MiB CoNLL-U line was read";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "big.conllu");
    EXPECT_EQ(e.place(), "line 2");
  }
  std::istringstream vocab("[PAD]\n" + std::string(2000, 'a') + "\n");
  try {
    text::Vocab::read(vocab, "vocab.txt");
    ADD_FAILURE() << "a 2,000-byte token was read";
  } catch (const InputError& e) {
    EXPECT_EQ(e.place(), "line 2");
    EXPECT_NE(e.reason().find("longer than 1025 bytes"), std::string::npos) << e.what();
  }
}

TEST(LineReader, EnforcesLineCountAndTotalSize) {
  std::istringstream three("a\nb\nc\n");
  LineReader lines(three, "t.txt", LineLimits{10, 2});
  std::string line;
  EXPECT_TRUE(lines.next(line));
  EXPECT_TRUE(lines.next(line));
  EXPECT_EQ(line, "b");
  EXPECT_THROW(lines.next(line), InputError);

  std::istringstream big("aaaa\nbbbb\n");
  LineReader total(big, "t.txt", LineLimits{10, 100, 7});
  EXPECT_TRUE(total.next(line));
  EXPECT_THROW(total.next(line), InputError);

  std::istringstream last("no newline at the end");
  LineReader plain(last, "t.txt", LineLimits{});
  EXPECT_TRUE(plain.next(line));
  EXPECT_EQ(line, "no newline at the end");
  EXPECT_FALSE(plain.next(line));
}
