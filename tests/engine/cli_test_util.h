#pragma once
// Shared by the chrysalis-cli tests: the engine's command line and the
// 64-entry vocabulary of the tiny fixture (five specials, then tok5..tok63).
#include "test_support.h"

#include <filesystem>
#include <fstream>
#include <string>

namespace chrysalis::test {

inline std::string cli() {
  return cliPath().string();
}

inline void writeTinyVocab(const std::filesystem::path& path) {
  std::ofstream vocab(path);
  const char* specials[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
  for (int i = 0; i < 64; ++i)
    vocab << (i < 5 ? specials[i] : "tok" + std::to_string(i)) << "\n";
}

} // namespace chrysalis::test
