#pragma once
// Reader for the Universal Dependencies CoNLL-U format
// (https://universaldependencies.org/format.html). It streams: one sentence
// per next() call, so a 14 MB treebank never has to be in memory at once.
//
// Each sentence is validated before it is returned: 10 tab-separated
// non-empty columns, UTF-8, LF line endings, word IDs 1..n in order, numeric
// HEADs within 0..n, exactly one root, no cycles, well-placed multiword-token
// ranges ("3-4") and empty nodes ("8.1"), a blank line after every sentence
// (also the last one). A bad sentence throws InputError(file, "line N",
// reason), or, with ConlluOptions::skipInvalid, is skipped and counted.
#include "common/error.h"
#include "common/input_file.h"
#include "common/line_reader.h"

#include <cstdint>
#include <filesystem>
#include <fstream> // kept for includers that relied on it
#include <istream>
#include <memory>
#include <string>
#include <vector>

namespace chrysalis::text {

// A "# key = value" comment line; a comment without " = " (e.g. "# newpar")
// has hasValue == false and its whole text in `key`.
struct ConlluComment {
  std::string key;
  std::string value;
  bool hasValue = false;
};

// A multiword token ("3-4 don't"): surface form of words first..last (1-based).
struct MultiwordToken {
  int32_t first = 0;
  int32_t last = 0;
  std::string form;
  std::string misc;
};

// An empty node ("8.1") of the enhanced graph; kept, but not part of the tree.
struct EmptyNode {
  int32_t after = 0; // the word it follows (0 = before the first word)
  int32_t index = 0; // the part after the dot
  std::string form;
  std::string deps;
};

struct Sentence {
  std::string sentId;                  // "# sent_id = ..." ("" when absent)
  std::string text;                    // "# text = ..." ("" when absent)
  std::vector<ConlluComment> comments; // every other comment, in file order
  // Syntactic words 1..n (index 0 = word 1). "_" means unspecified.
  std::vector<std::string> words; // FORM
  std::vector<std::string> lemmas;
  std::vector<std::string> upos;
  std::vector<std::string> xpos;
  std::vector<std::string> feats;
  std::vector<int32_t> heads;         // 1-based; 0 = the root
  std::vector<std::string> relations; // DEPREL, subtypes kept ("nmod:poss")
  std::vector<std::string> deps;      // enhanced dependencies, verbatim
  std::vector<std::string> misc;
  std::vector<MultiwordToken> multiwordTokens;
  std::vector<EmptyNode> emptyNodes;
  size_t line = 0; // 1-based line where the sentence (its first comment) starts

  size_t size() const { return words.size(); }
  // The tokens as written: a multiword token's form replaces its words.
  std::vector<std::string> surfaceTokens() const;
};

struct ConlluOptions {
  // Skip invalid sentences (counting them) instead of throwing.
  bool skipInvalid = false;
  // How many of the skipped sentences' errors errors() keeps.
  size_t maxKeptErrors = 10;
};

class ConlluReader {
public:
  // Reads from `in`; `displayName` names the input in errors.
  ConlluReader(std::istream& in, std::string displayName, ConlluOptions options = {});
  // Opens `path`; throws InputError when it cannot be opened.
  explicit ConlluReader(const std::filesystem::path& path, ConlluOptions options = {});

  // Reads the next valid sentence into `out`; false at end of input.
  bool next(Sentence& out);
  // Every remaining sentence.
  std::vector<Sentence> readAll();

  const std::string& displayName() const { return m_name; }
  size_t sentencesRead() const { return m_read; }
  size_t skipped() const { return m_skipped; }
  // The first maxKeptErrors errors of skipped sentences.
  const std::vector<InputError>& errors() const { return m_errors; }

private:
  void parseComment(const std::string& line, Sentence& s);
  void parseTokenLine(const std::string& line, Sentence& s);
  void validateTree(const Sentence& s);
  void fail(size_t line, const std::string& reason);
  bool finishSentence(Sentence& s); // true when `s` is valid and returned

  std::unique_ptr<InputFile> m_file;
  std::istream* m_in;
  std::string m_name;
  ConlluOptions m_options;
  std::unique_ptr<LineReader> m_lines; // bounds each line while it is read
  size_t m_line = 0;
  size_t m_read = 0;
  size_t m_skipped = 0;
  std::vector<InputError> m_errors;
  // State of the sentence being read.
  std::unique_ptr<InputError> m_pending; // first error in it
  std::vector<size_t> m_wordLines;       // line of each word
  std::vector<size_t> m_mwtLines;
};

// Reads a whole file. `skipped`, when given, receives the skip count.
std::vector<Sentence> readConllu(const std::filesystem::path& path, ConlluOptions options = {},
                                 size_t* skipped = nullptr);

} // namespace chrysalis::text
