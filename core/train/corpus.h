#pragma once
// Training data: CoNLL-U treebanks (text + parses, which feed the syntactic
// regularizer) and raw text files (one sentence or paragraph per line, no
// parses). Everything is read once and tokenized into sequences of piece ids
// with [CLS]/[SEP]; a CoNLL-U dependency (i, head(i)) becomes a pair of the
// first pieces of the two words. No LibTorch here.
#include "text/wordpiece.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace chrysalis::train {

// One source unit before tokenization: a parsed sentence or a raw line.
struct RawUnit {
  std::vector<std::string> words; // CoNLL-U FORMs (empty for a raw line)
  std::vector<int32_t> heads;     // 1-based, 0 = root (empty for a raw line)
  std::string line;               // the raw line (empty for a sentence)
  bool parsed() const { return !words.empty(); }
};

// What the series records about each data file, so that a resumed run can
// check it reads the same data.
struct DataFileRecord {
  std::string path;
  std::string kind; // "conllu" or "text"
  uint64_t bytes = 0;
  std::string fnv1a64; // 16 hex digits over the whole file
  int64_t units = 0;   // sentences or non-blank lines used
};

struct RawCorpus {
  std::vector<RawUnit> units;
  std::vector<DataFileRecord> files;
};

// A dependency pair as piece positions in its sequence ([CLS] = 0).
struct PiecePair {
  int32_t dependent = 0;
  int32_t head = 0;
};

struct TrainExample {
  std::vector<int32_t> ids; // [CLS] pieces [SEP]
  std::vector<PiecePair> pairs;
};

struct Corpus {
  std::vector<TrainExample> examples;
  int64_t pairs = 0;          // dependency pairs kept
  int64_t droppedPairs = 0;   // pairs that touched a truncated word
  int64_t truncatedUnits = 0; // sentences cut at maxSeqLength
  int64_t droppedUnits = 0;   // sentences whose first word alone is too long
};

bool isConlluFile(const std::filesystem::path& p);

// Size and FNV-1a 64 of a file (streamed). Throws InputError when unreadable.
DataFileRecord describeFile(const std::filesystem::path& p);

// Reads every file in order, up to maxUnits units in all (0 = no limit).
// CoNLL-U files must be valid (errors name the file and line); raw text
// lines lose a trailing "\r" and blank lines are skipped.
RawCorpus readRawCorpus(const std::vector<std::string>& files, int64_t maxUnits);

// One string per unit, for building a vocabulary: " ".join(words) or the line.
std::vector<std::string> corpusText(const RawCorpus& raw);

// Tokenizes every unit. A sentence longer than maxSeqLength keeps its first
// whole words (pairs touching a dropped word are dropped); a raw line is cut
// into consecutive chunks of at most maxSeqLength − 2 pieces, each its own
// sequence, so that long paragraphs are not lost.
Corpus tokenizeCorpus(const RawCorpus& raw, const text::WordPieceTokenizer& tokenizer,
                      int64_t maxSeqLength);

} // namespace chrysalis::train
