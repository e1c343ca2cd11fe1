#include "probes/masked_copies.h"

#include <algorithm>
#include <numeric>
#include <unordered_set>

namespace chrysalis::probes {

namespace {

// Rows compared as the copies they stand for: the same length, the same
// masked position and the same pieces everywhere else.
struct CopyHash {
  const std::vector<std::vector<int64_t>>* seqs;
  const std::vector<MaskedCopyPlan::Row>* rows;
  size_t operator()(size_t r) const {
    const auto& row = (*rows)[r];
    const auto& s = (*seqs)[row.seq];
    uint64_t h = 0xCBF29CE484222325ULL ^ (s.size() * 0x9E3779B97F4A7C15ULL);
    for (size_t i = 0; i < s.size(); ++i) {
      const uint64_t piece =
          static_cast<int64_t>(i) == row.pos ? ~uint64_t{0} : static_cast<uint64_t>(s[i]);
      h = (h ^ piece) * 0x100000001B3ULL;
      h ^= h >> 29;
    }
    return static_cast<size_t>(h);
  }
};

struct CopyEqual {
  const std::vector<std::vector<int64_t>>* seqs;
  const std::vector<MaskedCopyPlan::Row>* rows;
  bool operator()(size_t a, size_t b) const {
    const auto& ra = (*rows)[a];
    const auto& rb = (*rows)[b];
    const auto& sa = (*seqs)[ra.seq];
    const auto& sb = (*seqs)[rb.seq];
    if (ra.pos != rb.pos || sa.size() != sb.size()) return false;
    const auto pos = static_cast<size_t>(ra.pos);
    return std::equal(sa.begin(), sa.begin() + static_cast<std::ptrdiff_t>(pos), sb.begin()) &&
           std::equal(sa.begin() + static_cast<std::ptrdiff_t>(pos + 1), sa.end(),
                      sb.begin() + static_cast<std::ptrdiff_t>(pos + 1));
  }
};

} // namespace

MaskedCopyPlan planMaskedCopies(const std::vector<std::vector<int64_t>>& seqs) {
  MaskedCopyPlan plan;
  std::vector<size_t> order(seqs.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return seqs[a].size() < seqs[b].size(); });
  for (size_t i : order)
    for (int64_t t = 1; t + 1 < static_cast<int64_t>(seqs[i].size()); ++t)
      plan.rows.push_back({i, t});

  // Each row's forward: the first row with the same copy.
  const size_t R = plan.rows.size();
  std::unordered_set<size_t, CopyHash, CopyEqual> firsts(R, CopyHash{&seqs, &plan.rows},
                                                         CopyEqual{&seqs, &plan.rows});
  std::vector<size_t> forwardOf(R);
  std::vector<size_t> forwardOfFirst(R, 0);
  for (size_t r = 0; r < R; ++r) {
    const auto [it, isNew] = firsts.insert(r);
    if (isNew) {
      forwardOfFirst[r] = plan.forwards.size();
      plan.forwards.push_back(r);
    }
    forwardOf[r] = forwardOfFirst[*it];
  }

  // The distinct (forward, target) pairs, grouped by forward.
  auto targetOf = [&](size_t r) {
    return seqs[plan.rows[r].seq][static_cast<size_t>(plan.rows[r].pos)];
  };
  auto before = [](const MaskedCopyPlan::Query& a, const MaskedCopyPlan::Query& b) {
    return a.forward != b.forward ? a.forward < b.forward : a.target < b.target;
  };
  plan.queries.reserve(plan.forwards.size());
  for (size_t r = 0; r < R; ++r)
    plan.queries.push_back({forwardOf[r], targetOf(r)});
  std::sort(plan.queries.begin(), plan.queries.end(), before);
  plan.queries.erase(std::unique(plan.queries.begin(), plan.queries.end(),
                                 [](const auto& a, const auto& b) {
                                   return a.forward == b.forward && a.target == b.target;
                                 }),
                     plan.queries.end());
  plan.queryOf.resize(R);
  for (size_t r = 0; r < R; ++r) {
    const MaskedCopyPlan::Query key{forwardOf[r], targetOf(r)};
    plan.queryOf[r] = static_cast<size_t>(
        std::lower_bound(plan.queries.begin(), plan.queries.end(), key, before) -
        plan.queries.begin());
  }
  plan.queryBegin.assign(plan.forwards.size() + 1, plan.queries.size());
  for (size_t q = plan.queries.size(); q-- > 0;)
    plan.queryBegin[plan.queries[q].forward] = q;
  return plan;
}

} // namespace chrysalis::probes
