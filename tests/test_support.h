#pragma once
// Helpers every GoogleTest suite shares: where the data is, scratch folders.
#include <filesystem>
#include <string>

namespace chrysalis::test {

// ../shared/data, or an empty path when it is not there (tests then skip).
std::filesystem::path sharedData();
std::filesystem::path fixtures();
std::filesystem::path sourceDir();
// Path of the built chrysalis-cli (empty when the engine is not built).
std::filesystem::path cliPath();

// A fresh, empty folder under the system temp dir, removed when destroyed.
class ScratchDir {
public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return m_path; }
  std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

private:
  std::filesystem::path m_path;
};

// Runs a shell command, returns its exit status; stdout+stderr go to *output.
int runCommand(const std::string& command, std::string* output = nullptr);

} // namespace chrysalis::test

// Skips the current test when ../shared/data is absent (a clone without it).
#define CHRYSALIS_REQUIRE_SHARED_DATA()                                              \
  do {                                                                               \
    if (chrysalis::test::sharedData().empty()) GTEST_SKIP() << "no ../shared/data"; \
  } while (0)
