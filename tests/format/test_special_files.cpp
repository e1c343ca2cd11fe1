// Special files and unbounded reads (issue 19, items 2 and 3): a FIFO, a
// device or a huge sparse file under a name a reader expects. Each read runs
// in a forked child with an alarm: it must be refused at once, naming the
// file, instead of blocking on the FIFO or reading without end.
#include "common/error.h"
#include "common/input_file.h"
#include "format/atomic_file.h"
#include "format/checkpoint_file.h"
#include "format/safetensors.h"
#include "format/series.h"
#include "format/worker_protocol.h"
#include "test_support.h"
#include "text/vocab.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace chrysalis;
using test::Ending;
namespace fs = std::filesystem;

TEST(SpecialFiles, FifosAreRefusedByEveryFormatReader) {
  test::ScratchDir dir;
  fs::create_directories(dir / "series");
  test::makeFifo(dir / "series" / "series.json");
  test::makeFifo(dir / "step-0000000001.h5");
  test::makeFifo(dir / "model.safetensors");
  test::makeFifo(dir / "config.json");
  EXPECT_REFUSED(test::readEnding([&] { format::readSeriesMeta(dir / "series"); }, "series.json",
                                  "a FIFO, not a regular file"));
  EXPECT_REFUSED(test::readEnding([&] { format::CheckpointReader(dir / "step-0000000001.h5"); },
                                  "step-0000000001.h5", "a FIFO"));
  EXPECT_REFUSED(test::readEnding([&] { format::SafetensorsFile(dir / "model.safetensors"); },
                                  "model.safetensors", "a FIFO"));
  EXPECT_REFUSED(test::readEnding([&] { format::readSmallFile(dir / "config.json", 1 << 20); },
                                  "config.json", "a FIFO"));
}

TEST(SpecialFiles, VocabFileOfASeriesMayNotBeAFifoOrADevice) {
  // series.json's vocab_file names a file in the series; make it a FIFO and
  // a link to /dev/zero (8 GB read before, without end).
  test::ScratchDir dir;
  format::SeriesMeta meta;
  meta.vocabFile = "tokens.txt";
  format::createSeries(dir.path(), meta, "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n");
  const fs::path vocab = format::vocabPath(dir.path(), format::readSeriesMeta(dir.path()));
  fs::remove(vocab);
  test::makeFifo(vocab);
  EXPECT_REFUSED(test::readEnding([&] { text::Vocab::load(vocab); }, "tokens.txt", "a FIFO"));
  fs::remove(vocab);
  fs::create_symlink("/dev/zero", vocab);
  EXPECT_REFUSED(
      test::readEnding([&] { text::Vocab::load(vocab); }, "tokens.txt", "a character device"));
}

TEST(SpecialFiles, SparseTwoGigabyteVocabIsRefusedBeforeReading) {
  test::ScratchDir dir;
  const fs::path vocab = dir / "vocab.txt";
  std::ofstream(vocab) << "[PAD]\n";
  fs::resize_file(vocab, uint64_t{2} << 30); // sparse: no disk used
  EXPECT_REFUSED(test::readEnding([&] { text::Vocab::load(vocab); }, "vocab.txt",
                                  "file too large (2147483648 bytes; the limit is 64 MiB)"));
}

TEST(SpecialFiles, FolderIsRefusedAsAFile) {
  test::ScratchDir dir;
  try {
    InputFile file(dir.path(), 100);
    ADD_FAILURE() << "a folder was opened as a file";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), dir.path().string());
    EXPECT_NE(e.reason().find("a folder"), std::string::npos) << e.what();
  }
}

namespace {
// An endless stream of one byte, as /dev/zero or a peer that never sends a
// newline; counts what was taken from it.
class Endless : public std::streambuf {
public:
  explicit Endless(char c) { std::fill(std::begin(m_data), std::end(m_data), c); }
  uint64_t served = 0;

protected:
  int_type underflow() override {
    served += sizeof m_data;
    setg(m_data, m_data, m_data + sizeof m_data);
    return traits_type::to_int_type(m_data[0]);
  }

private:
  char m_data[4096];
};
} // namespace

TEST(SpecialFiles, EndlessVocabLineIsRefusedAfterItsLimit) {
  Endless zeros('\0');
  std::istream in(&zeros);
  try {
    text::Vocab::read(in, "zero.txt");
    ADD_FAILURE() << "read an endless vocabulary";
  } catch (const InputError& e) {
    EXPECT_EQ(e.place(), "line 1");
    EXPECT_NE(e.reason().find("longer than"), std::string::npos) << e.what();
  }
  EXPECT_LT(zeros.served, 16u << 10); // stopped at once, not after gigabytes
}

TEST(WorkerRequestLines, OverlongLineIsRefusedWhileReadAndTheNextOneServed) {
  // 8 MiB without a newline, then a ping: the long line is refused without
  // being kept, and the worker reads on.
  std::stringstream in;
  in << std::string(8 << 20, '[') << "\n"
     << R"({"id":7,"op":"ping"})"
     << "\n";
  std::string line;
  try {
    format::readWorkerRequestLine(in, line);
    ADD_FAILURE() << "an 8 MiB request line was read";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("longer than 1 MiB"), std::string::npos) << e.what();
  }
  EXPECT_LE(line.capacity(), 1u << 20);
  ASSERT_TRUE(format::readWorkerRequestLine(in, line));
  EXPECT_EQ(format::parseWorkerRequest(line).id, 7);
  EXPECT_FALSE(format::readWorkerRequestLine(in, line));
}
