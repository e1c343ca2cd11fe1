// Resource bounds (docs/reliability.md): a series of 5,000 checkpoints lists
// completely, with their probe results, and a 250,000-entry vocabulary loads
// and tokenizes. Memory and time figures for these sizes are measured outside
// the unit tests (docs/reliability.md, "Resource bounds").
#include "format/checkpoint_file.h"
#include "format/metrics_table.h"
#include "format/probe_store.h"
#include "format/series.h"
#include "test_support.h"
#include "text/vocab.h"
#include "text/wordpiece.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace chrysalis;
namespace fs = std::filesystem;

TEST(ResourceBounds, FiveThousandCheckpointsList) {
  test::ScratchDir dir;
  format::SeriesMeta meta;
  meta.label = "five-thousand";
  const fs::path series = dir / "series";
  format::createSeries(series, meta, "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n");
  format::ProbeStore store(series);
  const std::string hash = store.ensureConfig({{"probe", "loss"}});
  constexpr int64_t kCount = 5000;
  for (int64_t i = 0; i < kCount; ++i) {
    format::CheckpointInfo info;
    info.step = i * 20;
    info.tokensSeen = i * 1000;
    info.trainLoss = 10.0 / static_cast<double>(i + 1);
    format::writeCheckpoint(format::checkpointPath(series, info.step), info, {}); // metadata only
    format::ProbeResult r;
    r.step = info.step;
    r.scalars["loss"] = *info.trainLoss;
    store.write(hash, r);
  }
  const auto listing = format::listSeries(series);
  ASSERT_TRUE(listing.problems.empty());
  ASSERT_EQ(listing.checkpoints.size(), static_cast<size_t>(kCount));
  EXPECT_EQ(listing.checkpoints.back().step, (kCount - 1) * 20);
  EXPECT_FALSE(listing.checkpoints.back().hasWeights);
  EXPECT_EQ(store.steps(hash).size(), static_cast<size_t>(kCount));
  const auto table = format::readMetrics(series);
  EXPECT_EQ(table.steps.size(), static_cast<size_t>(kCount));
  EXPECT_EQ(table.values.at("loss").back(), 10.0 / kCount);
}

TEST(ResourceBounds, QuarterMillionEntryVocabulary) {
  test::ScratchDir dir;
  const fs::path path = dir / "vocab.txt";
  {
    std::ofstream out(path);
    out << "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n";
    for (int i = 0; i < 125'000; ++i)
      out << "w" << i << "\n##s" << i << "\n";
  }
  const auto vocab = text::Vocab::load(path);
  ASSERT_EQ(vocab.size(), 250'005u);
  text::WordPieceTokenizer tok(vocab, text::WordPieceOptions::uncased());
  // "w124999s7" = "w124999" + "##s7": the longest-match-first split over the big vocabulary.
  EXPECT_EQ(tok.tokenize("w124999s7 w3 zzz"),
            (std::vector<std::string>{"w124999", "##s7", "w3", "[UNK]"}));
}
