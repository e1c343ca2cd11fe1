// `chrysalis-cli tokenize` end to end (skipped when the CLI is not built).
#include "text_test_util.h"

#include <gtest/gtest.h>

using chrysalis::test::cliPath;
using chrysalis::test::runCommand;

namespace {
std::string tokenize(const std::string& input, const std::string& args, int* status) {
  chrysalis::test::ScratchDir dir;
  chrysalis::test::writeFile(dir / "in.txt", input);
  std::string out;
  *status = runCommand(cliPath().string() + " tokenize " + args + " < " + (dir / "in.txt").string(),
                       &out);
  return out;
}
} // namespace

TEST(CliTokenize, PrintsPiecesPerLine) {
  if (cliPath().empty()) GTEST_SKIP() << "chrysalis-cli not built";
  CHRYSALIS_REQUIRE_SHARED_DATA();
  int status = -1;
  const std::string out =
      tokenize("Hello, World!\nCaf\xC3\xA9 na\xC3\xAFve unaffable\n\n3.14159\r\n",
               "--vocab " + chrysalis::test::bertVocab().string(), &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_EQ(out, "hello , world !\ncafe naive una ##ffa ##ble\n\n3 . 141 ##59\n");
}

TEST(CliTokenize, CasedKeepsCase) {
  if (cliPath().empty()) GTEST_SKIP() << "chrysalis-cli not built";
  chrysalis::test::ScratchDir dir;
  chrysalis::test::writeFile(dir / "vocab.txt",
                             "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nHello\nhello\n");
  int status = -1;
  EXPECT_EQ(
      tokenize("Hello hello HELLO", "--cased --vocab " + (dir / "vocab.txt").string(), &status),
      "Hello hello [UNK]\n");
  EXPECT_EQ(status, 0);
  EXPECT_EQ(tokenize("Hello hello HELLO", "--vocab " + (dir / "vocab.txt").string(), &status),
            "hello hello hello\n");
}

TEST(CliTokenize, BadVocabularyFailsWithOneLine) {
  if (cliPath().empty()) GTEST_SKIP() << "chrysalis-cli not built";
  chrysalis::test::ScratchDir dir;
  chrysalis::test::writeFile(dir / "vocab.txt", "[PAD]\n[UNK]\n[UNK]\n");
  int status = -1;
  const std::string out = tokenize("x", "--vocab " + (dir / "vocab.txt").string(), &status);
  EXPECT_EQ(status, 1);
  EXPECT_EQ(out, "chrysalis-cli: " + (dir / "vocab.txt").string() +
                     ": line 3: duplicate token \"[UNK]\" (first on line 2)\n");
  tokenize("x", "", &status);
  EXPECT_NE(status, 0); // --vocab is required (a CLI11 usage error)
  EXPECT_NE(status, 1);
}
