// planMaskedCopies, worked by hand: which copies coincide and what is read
// from each forward.
#include "probes/masked_copies.h"

#include <gtest/gtest.h>

#include <set>

using chrysalis::probes::MaskedCopyPlan;
using chrysalis::probes::planMaskedCopies;

namespace {
// [CLS] = 1, [SEP] = 2, words from 10 up.
const std::vector<std::vector<int64_t>> kSeqs = {
    {1, 10, 11, 12, 2}, // 0: a b c
    {1, 10, 13, 12, 2}, // 1: a x c (one-word substitution of 0 at piece 2)
    {1, 10, 11, 12, 2}, // 2: a b c again
    {1, 10, 11, 2},     // 3: a b (shorter)
    {1, 11, 10, 12, 2}, // 4: b a c (same pieces, other order: nothing shared)
};
} // namespace

TEST(MaskedCopies, IdenticalCopiesAreForwardedOnceAndReadForEachTarget) {
  const MaskedCopyPlan plan = planMaskedCopies(kSeqs);
  // One row per content piece: 3 + 3 + 3 + 2 + 3.
  ASSERT_EQ(plan.rows.size(), 14u);
  // Shortest first: sequence 3's two rows lead.
  EXPECT_EQ(plan.rows[0].seq, 3u);
  EXPECT_EQ(plan.rows[1].seq, 3u);
  // Forwards: 3's two, 0's three, 1's two not shared with 0 (pieces 1 and
  // 3), none of 2's, 4's three.
  EXPECT_EQ(plan.forwards.size(), 2u + 3u + 2u + 0u + 3u);
  // Queries: one per forward, plus the shared copy "a [MASK] c" read for
  // both b (11) and x (13).
  EXPECT_EQ(plan.queries.size(), plan.forwards.size() + 1);
  ASSERT_EQ(plan.queryBegin.size(), plan.forwards.size() + 1);
  EXPECT_EQ(plan.queryBegin.back(), plan.queries.size());

  // Every row reads its own target from a forward whose copy equals its own.
  auto copyOf = [&](size_t row) {
    auto s = kSeqs[plan.rows[row].seq];
    s[static_cast<size_t>(plan.rows[row].pos)] = -1;
    return s;
  };
  std::set<std::vector<int64_t>> forwarded;
  for (size_t r = 0; r < plan.rows.size(); ++r) {
    const auto& q = plan.queries[plan.queryOf[r]];
    EXPECT_EQ(q.target, kSeqs[plan.rows[r].seq][static_cast<size_t>(plan.rows[r].pos)]) << r;
    EXPECT_EQ(copyOf(plan.forwards[q.forward]), copyOf(r)) << r;
    EXPECT_GE(plan.queryOf[r], plan.queryBegin[q.forward]);
    EXPECT_LT(plan.queryOf[r], plan.queryBegin[q.forward + 1]);
  }
  // No copy is forwarded twice.
  for (size_t f : plan.forwards)
    EXPECT_TRUE(forwarded.insert(copyOf(f)).second) << f;
}

TEST(MaskedCopies, SequencesWithoutContentPiecesGiveNoRows) {
  const MaskedCopyPlan plan = planMaskedCopies({{1, 2}, {1}, {}});
  EXPECT_TRUE(plan.rows.empty());
  EXPECT_TRUE(plan.forwards.empty());
  EXPECT_TRUE(plan.queries.empty());
  EXPECT_EQ(plan.queryBegin, std::vector<size_t>{0});
}
