#pragma once
// Helpers shared by the text tests: the nine UD files and their README counts.
#include "test_support.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace chrysalis::test {

// Counts from shared/data/README.md (they agree with each treebank's stats.xml).
struct TreebankFile {
  const char* path; // relative to shared/data
  size_t sentences;
  size_t words;
  size_t surfaceTokens;
  size_t multiwordTokens;
  size_t emptyNodes;
  size_t longest;
};

inline const std::vector<TreebankFile>& treebankFiles() {
  static const std::vector<TreebankFile> files = {
      {"ud/UD_English-EWT/en_ewt-ud-train.conllu", 12544, 204577, 201962, 2614, 37, 159},
      {"ud/UD_English-EWT/en_ewt-ud-dev.conllu", 2001, 25147, 24787, 359, 4, 75},
      {"ud/UD_English-EWT/en_ewt-ud-test.conllu", 2077, 25094, 24740, 354, 2, 81},
      {"ud/UD_English-GUM/en_gum-ud-train.conllu", 3753, 69760, 69760, 0, 0, 98},
      {"ud/UD_English-GUM/en_gum-ud-dev.conllu", 784, 15593, 15593, 0, 0, 88},
      {"ud/UD_English-GUM/en_gum-ud-test.conllu", 890, 15924, 15924, 0, 0, 84},
      {"ud/UD_English-LinES/en_lines-ud-train.conllu", 3457, 64684, 63994, 690, 0, 98},
      {"ud/UD_English-LinES/en_lines-ud-dev.conllu", 1118, 21637, 21387, 250, 0, 95},
      {"ud/UD_English-LinES/en_lines-ud-test.conllu", 1121, 19984, 19756, 228, 0, 87},
  };
  return files;
}

inline std::filesystem::path bertVocab() {
  return sharedData() / "vocab" / "bert-base-uncased-vocab.txt";
}

inline void writeFile(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

} // namespace chrysalis::test
