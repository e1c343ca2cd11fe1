// UAS by hand: a 3-word sentence with a given attention map and known UAS,
// and the piece -> word merging (sum over target pieces, mean over source
// pieces) on a hand-worked example.
#include "probes/uas.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace chrysalis;
using namespace chrysalis::probes;

namespace {
ProbeSet threeWords() {
  ProbeSet set;
  // "the cat sat": the <-det- cat <-nsubj- sat (root)
  set.sentences.push_back({"s1", {"the", "cat", "sat"}, {2, 3, 0}, {"det", "nsubj", "root"}});
  return set;
}
} // namespace

TEST(UasHandWorked, ThreeWordSentence) {
  ProbeSet set = threeWords();
  UasAccumulator acc(1, 1, set, UasOptions{1});
  // Word-level map, W = 5: [CLS], the, cat, sat, [SEP]; rows attend to columns.
  const float m[25] = {
      // CLS   the   cat   sat   SEP
      0.2f, 0.2f, 0.2f, 0.2f, 0.2f, // [CLS]
      0.3f, 0.1f, 0.4f, 0.1f, 0.1f, // the -> cat (its head: correct)
      0.1f, 0.3f, 0.1f, 0.4f, 0.1f, // cat -> sat (its head: correct)
      0.5f, 0.2f, 0.2f, 0.0f, 0.1f, // sat -> the/cat tie: first index, "the" (root: always wrong)
      0.2f, 0.2f, 0.2f, 0.2f, 0.2f, // [SEP]
  };
  acc.addSentence(0, m, 5);
  // dep->head: [CLS] (0.3 for "the") is dropped, so "the" predicts "cat".
  EXPECT_EQ(acc.lastPrediction(0, 0, 1), 2);
  EXPECT_EQ(acc.lastPrediction(0, 0, 2), 3);
  EXPECT_EQ(acc.lastPrediction(0, 0, 3), 1);
  // head<-dep reads column i: who attends most to "the"? cat (0.3) > sat (0.2).
  EXPECT_EQ(acc.lastPrediction(0, 1, 1), 2);
  // to "cat": the (0.4) vs sat (0.2) -> the.
  EXPECT_EQ(acc.lastPrediction(0, 1, 2), 1);

  auto r = acc.finish();
  // Relations: det, nsubj, root (sorted); root is excluded.
  EXPECT_EQ(r.strings.at("uas/relations"), (std::vector<std::string>{"det", "nsubj", "root"}));
  EXPECT_DOUBLE_EQ(r.scalars.at("uas"), 1.0);              // both scored words right
  EXPECT_DOUBLE_EQ(r.scalars.at("uas_all_words"), 2.0 / 3); // root included, always wrong
  EXPECT_DOUBLE_EQ(r.scalars.at("uas_offset_baseline"), 1.0); // parent = i + 1
  EXPECT_DOUBLE_EQ(r.scalars.at("uas_offset_best_k"), 1.0);
  const auto& a = r.arrays.at("uas/accuracy");
  EXPECT_EQ(a.shape, (std::vector<int64_t>{1, 1, 2, 3}));
  EXPECT_DOUBLE_EQ(a.values[0], 1.0); // dep->head, det
  EXPECT_DOUBLE_EQ(a.values[1], 1.0); // dep->head, nsubj
  EXPECT_DOUBLE_EQ(a.values[2], 0.0); // root
  EXPECT_DOUBLE_EQ(a.values[3], 1.0); // head<-dep, det: cat attends most to the
  EXPECT_DOUBLE_EQ(a.values[4], 0.0); // head<-dep, nsubj: "the" attends most to cat, not sat
  // Mean attention on the gold parent: the->cat 0.4, cat->sat 0.4.
  EXPECT_NEAR(r.scalars.at("uas_mean_attention"), 0.4, 1e-6);
  EXPECT_EQ(r.arrays.at("uas/sentence_correct").values, std::vector<double>{2});
  EXPECT_EQ(r.arrays.at("uas/sentence_words").values, std::vector<double>{2});
}

TEST(UasHandWorked, RareRelationsAreExcluded) {
  ProbeSet set = threeWords();
  UasAccumulator acc(1, 1, set, UasOptions{2}); // every relation occurs once
  std::vector<float> m(25, 0.2f);
  acc.addSentence(0, m.data(), 5);
  EXPECT_TRUE(std::isnan(acc.finish().scalars.at("uas")));
}

TEST(UasHandWorked, PiecesMergeIntoWords) {
  // [CLS] un ##believ ##able cat [SEP]: word 1 has pieces 1..3, word 2 piece 4.
  const size_t T = 6;
  std::vector<float> a(T * T);
  for (size_t i = 0; i < T; ++i)
    for (size_t j = 0; j < T; ++j) a[i * T + j] = static_cast<float>(i * 10 + j) / 100.0f;
  std::vector<text::PieceSpan> spans{{1, 4}, {4, 5}};
  auto w = wordLevelMaps(a.data(), 1, T, spans);
  ASSERT_EQ(w.size(), 16u); // W = 4
  auto A = [&](size_t i, size_t j) { return a[i * T + j]; };
  // From word 1 (mean over rows 1..3) to word 2 (column 4).
  EXPECT_NEAR(w[1 * 4 + 2], (A(1, 4) + A(2, 4) + A(3, 4)) / 3, 1e-6);
  // From word 2 (row 4) to word 1 (sum of columns 1..3).
  EXPECT_NEAR(w[2 * 4 + 1], A(4, 1) + A(4, 2) + A(4, 3), 1e-6);
  // From word 1 to itself: mean over rows of the sum over columns 1..3.
  double self = 0;
  for (size_t i = 1; i <= 3; ++i)
    for (size_t j = 1; j <= 3; ++j) self += A(i, j);
  EXPECT_NEAR(w[1 * 4 + 1], self / 3, 1e-6);
  // [CLS] and [SEP] stay their own words.
  EXPECT_NEAR(w[0 * 4 + 3], A(0, 5), 1e-6);
  EXPECT_NEAR(w[3 * 4 + 0], A(5, 0), 1e-6);
}
