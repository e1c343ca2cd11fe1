#pragma once
// The pseudo-likelihood's masked copies, planned before any forward: one copy
// per content piece of each sequence (its piece replaced by [MASK]), the
// shortest sequences first so that a chunk of copies pads little, and each
// set of identical copies forwarded once. Copies coincide when two sequences
// of one length differ only in the masked piece (BLiMP's one-word
// substitutions: the good and the bad sentence masked at the word they
// differ in) or when a sequence repeats; the copy is then forwarded once and
// read out for each target piece. Needs no LibTorch.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace chrysalis::probes {

struct MaskedCopyPlan {
  struct Row {
    size_t seq;  // index into the sequences
    int64_t pos; // the masked piece, 1 .. size-2
  };
  struct Query {
    size_t forward; // index into forwards
    int64_t target; // the piece whose log-probability is read out
  };
  std::vector<Row> rows;          // every masked copy, shortest sequences first
  std::vector<size_t> forwards;   // rows whose copies are run: the first of identical ones
  std::vector<Query> queries;     // what is read from the forwards, grouped by forward
  std::vector<size_t> queryBegin; // forward f's queries: [queryBegin[f], queryBegin[f+1])
  std::vector<size_t> queryOf;    // row r's log-probability is queries[queryOf[r]]'s
};

/// Plans the copies of `seqs` (each [CLS] ... [SEP]; the first and last
/// piece are never masked).
MaskedCopyPlan planMaskedCopies(const std::vector<std::vector<int64_t>>& seqs);

} // namespace chrysalis::probes
