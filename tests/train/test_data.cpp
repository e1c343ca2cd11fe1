// Data preparation: CoNLL-U/raw text to sequences and dependency pairs,
// length-bucketed batch order, and dynamic masking statistics.
#include "train/batch_plan.h"
#include "train/corpus.h"
#include "train/masking.h"
#include "train_test_util.h"

#include "common/error.h"
#include "text/splitmix.h"
#include "text/vocab_builder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <numeric>
#include <set>

using namespace chrysalis;
using namespace chrysalis::train;

namespace {

text::WordPieceTokenizer smallTokenizer() {
  std::vector<std::string> tokens{"[PAD]",  "[UNK]", "[CLS]", "[SEP]", "[MASK]",
                                  "the",    "cat",   "sat",   "un",    "##break",
                                  "##able", "wall",  ".",     "a",     "b"};
  return text::WordPieceTokenizer(text::Vocab::fromTokens(tokens, "test vocab"));
}

const char* kConllu = "# sent_id = 1\n"
                      "# text = The unbreakable cat sat.\n"
                      "1\tThe\tthe\tDET\t_\t_\t3\tdet\t_\t_\n"
                      "2\tunbreakable\t_\tADJ\t_\t_\t3\tamod\t_\t_\n"
                      "3\tcat\tcat\tNOUN\t_\t_\t4\tnsubj\t_\t_\n"
                      "4\tsat\tsit\tVERB\t_\t_\t0\troot\t_\t_\n"
                      "5\t.\t.\tPUNCT\t_\t_\t4\tpunct\t_\t_\n"
                      "\n";

} // namespace

TEST(Corpus, DependenciesMapToFirstPiecesAndSkipTheRoot) {
  test::ScratchDir dir;
  std::ofstream(dir / "s.conllu") << kConllu;
  auto raw = readRawCorpus({(dir / "s.conllu").string()}, 0);
  ASSERT_EQ(raw.units.size(), 1u);
  EXPECT_EQ(raw.files[0].kind, "conllu");
  EXPECT_EQ(raw.files[0].fnv1a64.size(), 16u);
  auto tok = smallTokenizer();
  auto corpus = tokenizeCorpus(raw, tok, 32);
  ASSERT_EQ(corpus.examples.size(), 1u);
  const auto& ex = corpus.examples[0];
  // [CLS] the un ##break ##able cat sat . [SEP]
  EXPECT_EQ(ex.ids.size(), 9u);
  std::vector<std::pair<int, int>> pairs;
  for (auto p : ex.pairs)
    pairs.emplace_back(p.dependent, p.head);
  // the→cat, unbreakable→cat (its first piece "un"), cat→sat, .→sat; no root.
  EXPECT_EQ(pairs, (std::vector<std::pair<int, int>>{{1, 5}, {2, 5}, {5, 6}, {7, 6}}));

  // Truncation keeps whole words; pairs touching a dropped word go.
  auto cut = tokenizeCorpus(raw, tok, 7); // [CLS] the un ##break ##able cat [SEP]
  ASSERT_EQ(cut.examples.size(), 1u);
  EXPECT_EQ(cut.examples[0].ids.size(), 7u);
  EXPECT_EQ(cut.truncatedUnits, 1);
  EXPECT_EQ(cut.droppedPairs, 2);
  EXPECT_EQ(cut.examples[0].pairs.size(), 2u);
}

TEST(Corpus, RawTextLinesLoseCarriageReturnsAndLongLinesAreChunked) {
  test::ScratchDir dir;
  std::ofstream(dir / "t.txt") << "the cat sat .\r\n\r\n   \na b a b a b a b a b\n";
  auto raw = readRawCorpus({(dir / "t.txt").string()}, 0);
  ASSERT_EQ(raw.units.size(), 2u);
  EXPECT_EQ(raw.units[0].line, "the cat sat .");
  EXPECT_FALSE(raw.units[0].parsed());
  auto tok = smallTokenizer();
  auto corpus = tokenizeCorpus(raw, tok, 6); // 4 pieces per chunk
  ASSERT_EQ(corpus.examples.size(), 1u + 3u);
  EXPECT_EQ(corpus.examples[1].ids.size(), 6u);
  EXPECT_EQ(corpus.examples[3].ids.size(), 4u); // a b + [CLS]/[SEP]
  for (const auto& e : corpus.examples)
    EXPECT_TRUE(e.pairs.empty());
  // maxUnits stops early; a missing file names itself.
  EXPECT_EQ(readRawCorpus({(dir / "t.txt").string()}, 1).units.size(), 1u);
  EXPECT_THROW(readRawCorpus({(dir / "none.txt").string()}, 0), InputError);
}

TEST(BatchPlan, EpochsArePermutationsInFullLengthBucketedBatches) {
  std::vector<int32_t> lengths(1000);
  for (size_t i = 0; i < lengths.size(); ++i)
    lengths[i] = 3 + static_cast<int32_t>((i * 7919) % 60);
  BatchPlan plan(lengths, 16, 5), again(lengths, 16, 5), other(lengths, 16, 6);
  EXPECT_EQ(plan.batchesPerEpoch(), 62);
  std::set<int32_t> seen;
  int64_t padded = 0;
  for (int64_t g = 0; g < plan.batchesPerEpoch(); ++g) {
    const auto& b = plan.batch(g);
    ASSERT_EQ(b.size(), 16u);
    EXPECT_EQ(b, again.batch(g));
    int32_t longest = 0;
    for (int32_t i : b) {
      EXPECT_TRUE(seen.insert(i).second) << "sequence " << i << " twice in one epoch";
      longest = std::max(longest, lengths[i]);
    }
    padded += longest * 16 - plan.tokens(g);
  }
  // Bucketing keeps padding far below a random order's (~half the tokens here).
  const int64_t real = std::accumulate(lengths.begin(), lengths.end(), int64_t{0});
  EXPECT_LT(padded, real / 10);
  EXPECT_NE(plan.batch(0), other.batch(0));
  EXPECT_NE(plan.batch(0), plan.batch(plan.batchesPerEpoch())); // next epoch reshuffled
  EXPECT_THROW(BatchPlan({3, 4}, 8, 1), std::invalid_argument);
}

TEST(Masking, FifteenPercentWith80_10_10AndSpecialsNeverMasked) {
  text::SpecialIds sp{0, 1, 2, 3, 4};
  std::vector<TrainExample> examples(400);
  text::SplitMix64 rng(3);
  for (size_t i = 0; i < examples.size(); ++i) {
    auto& ids = examples[i].ids;
    ids.push_back(sp.cls);
    const size_t n = 5 + rng.below(40);
    for (size_t t = 0; t < n; ++t)
      ids.push_back(static_cast<int32_t>(5 + rng.below(995)));
    ids.push_back(sp.sep);
  }
  std::vector<const TrainExample*> ptrs;
  for (const auto& e : examples)
    ptrs.push_back(&e);
  int64_t maskable = 0, chosen = 0, toMask = 0, toRandom = 0, kept = 0;
  for (uint64_t seed = 0; seed < 5; ++seed) {
    auto m = makeMaskedBatch(ptrs, sp, 1000, seed);
    EXPECT_EQ(m.maskedPositions.size(), m.targets.size());
    for (size_t i = 0; i < m.inputIds.size(); ++i) {
      const auto orig = m.originalIds[i];
      if (m.attentionMask[i] && orig != sp.cls && orig != sp.sep) ++maskable;
    }
    for (size_t k = 0; k < m.maskedPositions.size(); ++k) {
      const auto at = static_cast<size_t>(m.maskedPositions[k]);
      const auto orig = m.originalIds[at];
      ASSERT_NE(orig, sp.cls);
      ASSERT_NE(orig, sp.sep);
      ASSERT_NE(orig, sp.pad);
      ASSERT_EQ(m.attentionMask[at], 1);
      ASSERT_EQ(m.targets[k], orig);
      ++chosen;
      if (m.inputIds[at] == sp.mask)
        ++toMask;
      else if (m.inputIds[at] != orig) {
        ++toRandom;
        EXPECT_GE(m.inputIds[at], 5); // never a special token
      } else
        ++kept;
    }
    // Unmasked positions are untouched.
    std::set<int64_t> masked(m.maskedPositions.begin(), m.maskedPositions.end());
    for (size_t i = 0; i < m.inputIds.size(); ++i)
      if (!masked.count(static_cast<int64_t>(i))) {
        ASSERT_EQ(m.inputIds[i], m.originalIds[i]);
      }
  }
  const double rate = static_cast<double>(chosen) / static_cast<double>(maskable);
  EXPECT_NEAR(rate, 0.15, 0.01);
  EXPECT_NEAR(static_cast<double>(toMask) / chosen, 0.8, 0.02);
  EXPECT_NEAR(static_cast<double>(toRandom) / chosen, 0.1, 0.015);
  EXPECT_NEAR(static_cast<double>(kept) / chosen, 0.1, 0.015);
}

TEST(Masking, DeterministicPerSeedAndNeverEmpty) {
  text::SpecialIds sp{0, 1, 2, 3, 4};
  TrainExample a{{2, 7, 8, 3}, {{1, 2}}};
  TrainExample b{{2, 9, 3}, {}};
  std::vector<const TrainExample*> ptrs{&a, &b};
  auto x = makeMaskedBatch(ptrs, sp, 20, 11), y = makeMaskedBatch(ptrs, sp, 20, 11);
  EXPECT_EQ(x.inputIds, y.inputIds);
  EXPECT_EQ(x.length, 4);
  EXPECT_EQ(x.attentionMask, (std::vector<int64_t>{1, 1, 1, 1, 1, 1, 1, 0}));
  EXPECT_EQ(x.pairs, (std::vector<int64_t>{0, 1, 2}));
  EXPECT_EQ(x.tokens, 7);
  MaskingOptions rare;
  rare.maskProb = 1e-9;
  for (uint64_t seed = 0; seed < 20; ++seed)
    EXPECT_EQ(makeMaskedBatch(ptrs, sp, 20, seed, rare).maskedPositions.size(), 1u);
}

TEST(Masking, RealEwtBatchesKeepSpecialsAndPairsInside) {
  CHRYSALIS_REQUIRE_SHARED_DATA();
  test::ScratchDir dir;
  auto raw = readRawCorpus({test::ewtTrain().string()}, 200);
  text::VocabBuilderOptions vo;
  vo.vocabSize = 800;
  text::WordPieceTokenizer tok(
      text::Vocab::fromTokens(text::buildWordPieceVocab(corpusText(raw), vo), "built"));
  auto corpus = tokenizeCorpus(raw, tok, 64);
  EXPECT_EQ(corpus.examples.size(), 200u);
  EXPECT_GT(corpus.pairs, 2000);
  std::vector<const TrainExample*> ptrs;
  for (const auto& e : corpus.examples)
    ptrs.push_back(&e);
  auto m =
      makeMaskedBatch(ptrs, tok.vocab().specials(), static_cast<int64_t>(tok.vocab().size()), 1);
  const auto& sp = tok.vocab().specials();
  for (auto at : m.maskedPositions) {
    EXPECT_NE(m.originalIds[static_cast<size_t>(at)], sp.cls);
    EXPECT_NE(m.originalIds[static_cast<size_t>(at)], sp.sep);
  }
  for (int64_t k = 0; k < m.pairCount(); ++k) {
    const auto b = m.pairs[3 * k], i = m.pairs[3 * k + 1], p = m.pairs[3 * k + 2];
    EXPECT_EQ(m.attentionMask[static_cast<size_t>(b * m.length + i)], 1);
    EXPECT_EQ(m.attentionMask[static_cast<size_t>(b * m.length + p)], 1);
    EXPECT_NE(i, p);
  }
}
