#pragma once
// Helpers every GoogleTest suite shares: where the data is, scratch folders.
#include <filesystem>
#include <functional>
#include <random>
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

// Hostile-file trials: a copy of `bytes` with 1 to 4 bytes flipped; two in
// three trials hit the first 4 KiB (superblock, object headers, B-trees),
// where damage matters most, the rest anywhere.
std::string flipRandomBytes(const std::string& bytes, std::mt19937_64& rng, int trial);

// Runs `body` in a forked child with an alarm, so that a crash or a hang in
// a library is observed instead of ending the test. Returns the child's exit
// status, or kCrashed / kHung.
constexpr int kCrashed = 1000, kHung = 1001;
int runForked(const std::function<int()>& body, unsigned alarmSeconds = 20);

// Hostile-input checks: runs `read` in a forked child (runForked) and says
// how it ended. Refused: it threw an InputError whose message contains
// both `file` and `reason`; any other message is printed to stderr.
enum class Ending { Refused, ReadWithoutError, OtherError, Crashed, Hung };
Ending readEnding(const std::function<void()>& read, const std::string& file,
                  const std::string& reason, unsigned alarmSeconds = 20);
std::string describe(Ending ending);

// Makes a FIFO at `path` (nobody ever writes to it: a reader that opens it
// for reading blocks until the alarm).
void makeFifo(const std::filesystem::path& path);

} // namespace chrysalis::test

// Expects a readEnding() to be Refused, printing how it ended otherwise.
#define EXPECT_REFUSED(ending)                                                                     \
  EXPECT_EQ(chrysalis::test::describe(ending),                                                     \
            chrysalis::test::describe(chrysalis::test::Ending::Refused))

// Skips the current test when ../shared/data is absent (a clone without it).
#define CHRYSALIS_REQUIRE_SHARED_DATA()                                                            \
  do {                                                                                             \
    if (chrysalis::test::sharedData().empty()) GTEST_SKIP() << "no ../shared/data";                \
  } while (0)
