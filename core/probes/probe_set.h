#pragma once
// A probe set: the evaluation sentences with their gold parses, chosen once
// and stored so that every checkpoint is measured on identical inputs.
// Stored as HDF5 (layout in docs/probes.md); its hash names it in results.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace chrysalis::text {
class WordPieceTokenizer;
}

namespace chrysalis::probes {

struct ParsedSentence {
  std::string sentId;
  std::vector<std::string> words;
  std::vector<int32_t> heads; // 1-based, 0 = root
  std::vector<std::string> relations;
};

struct ProbeSet {
  std::vector<ParsedSentence> sentences;
  std::vector<std::string> sources; // the CoNLL-U files it was built from
  uint64_t seed = 0;
  int64_t maxPieces = 0;

  // 16 hex digits (FNV-1a 64) over the sentences' ids, words, heads and relations.
  std::string hash() const;
  size_t wordCount() const;
};

struct ProbeSetOptions {
  size_t maxSentences = 1000;
  size_t maxPieces = 128; // with [CLS] and [SEP]: sentences longer are not eligible
  size_t minWords = 2;
  uint64_t seed = 0;
};

// What building a probe set left out.
struct ProbeSetBuildReport {
  size_t skipped = 0;                   // invalid CoNLL-U sentences
  std::vector<std::string> firstErrors; // the first few, each naming file and line
};

// Reads the CoNLL-U files (invalid sentences skipped and reported), keeps the
// sentences that fit maxPieces after tokenization, and picks maxSentences of
// them by a seeded shuffle; they keep file order.
ProbeSet buildProbeSet(const std::vector<std::filesystem::path>& conllu,
                       const text::WordPieceTokenizer& tokenizer, const ProbeSetOptions& options,
                       ProbeSetBuildReport* report = nullptr);

void saveProbeSet(const ProbeSet& set, const std::filesystem::path& path);
// Validates sizes and ranges; throws InputError naming the file.
ProbeSet loadProbeSet(const std::filesystem::path& path);

} // namespace chrysalis::probes
