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
  EXPECT_DOUBLE_EQ(r.scalars.at("uas"), 1.0);                 // both scored words right
  EXPECT_DOUBLE_EQ(r.scalars.at("uas_all_words"), 2.0 / 3);   // root included, always wrong
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
    for (size_t j = 0; j < T; ++j)
      a[i * T + j] = static_cast<float>(i * 10 + j) / 100.0f;
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
    for (size_t j = 1; j <= 3; ++j)
      self += A(i, j);
  EXPECT_NEAR(w[1 * 4 + 1], self / 3, 1e-6);
  // [CLS] and [SEP] stay their own words.
  EXPECT_NEAR(w[0 * 4 + 3], A(0, 5), 1e-6);
  EXPECT_NEAR(w[3 * 4 + 0], A(5, 0), 1e-6);
}

namespace {
// Rows pick one word each (0.6 against 0.1): word-level map of W words.
std::vector<float> rowsPointingAt(size_t W, const std::vector<size_t>& target) {
  std::vector<float> m(W * W, 0.1f);
  for (size_t i = 1; i + 1 < W; ++i)
    m[i * W + target[i - 1]] = 0.6f;
  return m;
}
} // namespace

// Worked by hand (the numbers in the comments): two sentences where the
// per-relation offsets, the single offset and non-adjacent UAS all differ.
TEST(UasHandWorked, RelationOffsetBaselineAndNonAdjacentUas) {
  ProbeSet set;
  // the big cat sat down: the -det-> cat (+2, non-adjacent), big -amod-> cat (+1),
  // cat -nsubj-> sat (+1), sat root, down -compound:prt-> sat (-1).
  set.sentences.push_back({"s1",
                           {"the", "big", "cat", "sat", "down"},
                           {3, 3, 4, 0, 4},
                           {"det", "amod", "nsubj", "root", "compound:prt"}});
  // a dog: a -det-> dog (+1), dog root.
  set.sentences.push_back({"s2", {"a", "dog"}, {2, 0}, {"det", "root"}});
  UasAccumulator acc(1, 1, set, UasOptions{1});
  // dep->head: the->big (wrong), big->cat, cat->sat, sat->cat, down->sat;
  // head<-dep (columns) gets every word of s1 wrong (ties go to the first row).
  acc.addSentence(0, rowsPointingAt(7, {2, 3, 4, 3, 4}).data(), 7);
  acc.addSentence(1, rowsPointingAt(4, {2, 1}).data(), 4);
  auto r = acc.finish();
  // det: 1 of 2 in both directions (tie: dep->head kept); amod, nsubj,
  // compound:prt right: 4 of the 5 scored words.
  EXPECT_DOUBLE_EQ(r.scalars.at("uas"), 0.8);
  // The only non-adjacent dependency, the -> cat, is predicted as "big".
  EXPECT_DOUBLE_EQ(r.scalars.at("uas_nonadjacent"), 0.0);
  EXPECT_DOUBLE_EQ(r.scalars.at("uas_nonadjacent_words"), 1.0);
  // Per relation: det's +1 and +2 each get 1 of 2 (the first, +1, is kept);
  // amod +1, nsubj +1, compound:prt -1 each get their word: 4 / 5.
  EXPECT_DOUBLE_EQ(r.scalars.at("uas_relation_offset_baseline"), 0.8);
  // One offset for all (clamped): +1 gets big, cat and a = 3 / 5.
  EXPECT_DOUBLE_EQ(r.scalars.at("uas_offset_baseline"), 0.6);
  EXPECT_DOUBLE_EQ(r.scalars.at("uas_words"), 5.0);
  const auto& rel = r.strings.at("uas/relations");
  ASSERT_EQ(rel, (std::vector<std::string>{"amod", "compound:prt", "det", "nsubj", "root"}));
  const auto& off = r.arrays.at("uas/relation_offset");
  EXPECT_EQ(off.shape, (std::vector<int64_t>{5, 2}));
  EXPECT_DOUBLE_EQ(off.values[1 * 2 + 0], -1.0); // compound:prt
  EXPECT_DOUBLE_EQ(off.values[2 * 2 + 0], 1.0);  // det
  EXPECT_DOUBLE_EQ(off.values[2 * 2 + 1], 0.5);
  EXPECT_TRUE(std::isnan(off.values[4 * 2 + 0])); // root is not scored
}
