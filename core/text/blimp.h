#pragma once
// Reader for BLiMP (Warstadt et al. 2020): JSONL files of minimal pairs, one
// JSON object per line. Required keys: sentence_good, sentence_bad, UID,
// linguistics_term, field (strings) and pairID (a string; an integer is
// accepted too). Other keys are ignored. `field` is normalised ('/' → '_':
// upstream spells "syntax_semantics" both ways).
#include "common/error.h"

#include <cstdint>
#include <filesystem>
#include <istream>
#include <map>
#include <string>
#include <vector>

namespace chrysalis::text {

struct BlimpPair {
  std::string good;       // sentence_good
  std::string bad;        // sentence_bad
  std::string uid;        // the task (paradigm), e.g. "adjunct_island"
  std::string phenomenon; // linguistics_term, e.g. "island_effects"
  std::string field;      // "syntax", "morphology", "semantics", "syntax_semantics"
  std::string pairId;
  std::string file; // where it was read, for messages
  size_t line = 0;  // 1-based
};

struct BlimpTask {
  std::string uid;
  std::string phenomenon;
  std::string field;
  std::vector<BlimpPair> pairs; // in file order
};

// Reads one JSONL stream. Blank lines are skipped; a malformed line (bad
// JSON, not an object, a missing key, a wrong type) throws
// InputError(displayName, "line N", reason).
std::vector<BlimpPair> readBlimpJsonl(std::istream& in, const std::string& displayName);
std::vector<BlimpPair> readBlimpFile(const std::filesystem::path& path);

// k of n indices, chosen by a partial Fisher–Yates shuffle of 0..n-1 driven
// by SplitMix64(seed) with unbiased bounded draws, returned in ascending
// order. All of 0..n-1 when k >= n.
std::vector<size_t> sampleIndices(size_t n, size_t k, uint64_t seed);

// Pairs grouped by task (UID), tasks sorted by UID.
class BlimpSuite {
public:
  // Every *.jsonl in `dir`, in file-name order.
  static BlimpSuite loadDirectory(const std::filesystem::path& dir);

  // Adds pairs to their tasks. Throws InputError when a pair disagrees with
  // its task's phenomenon or field, or repeats a pairID within the task.
  void add(std::vector<BlimpPair> pairs);

  const std::vector<BlimpTask>& tasks() const { return m_tasks; }
  const BlimpTask* task(const std::string& uid) const;
  size_t pairCount() const;
  // linguistics_term → UIDs of its tasks (sorted).
  std::map<std::string, std::vector<std::string>> phenomena() const;

  // At most k pairs per task, kept in file order. Task t uses
  // sampleIndices(n, k, seed ^ fnv1a64(t.uid)), so tasks are sampled
  // independently and adding a task does not change the others' samples.
  BlimpSuite subsample(size_t k, uint64_t seed) const;

private:
  std::vector<BlimpTask> m_tasks;
};

} // namespace chrysalis::text
