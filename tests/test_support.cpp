#include "test_support.h"

#include "common/error.h"

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <random>
#include <stdexcept>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace chrysalis::test {

fs::path sharedData() {
  fs::path p = CHRYSALIS_SHARED_DATA;
  return fs::exists(p / "vocab") ? p : fs::path();
}
fs::path fixtures() {
  return CHRYSALIS_FIXTURES;
}
fs::path sourceDir() {
  return CHRYSALIS_SOURCE_DIR;
}
fs::path cliPath() {
  return CHRYSALIS_CLI;
}

ScratchDir::ScratchDir() {
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    fs::path candidate = fs::temp_directory_path() / ("chrysalis-test-" + std::to_string(rd()));
    if (fs::create_directory(candidate)) {
      m_path = candidate;
      return;
    }
  }
  throw std::runtime_error("cannot create a scratch folder");
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  fs::remove_all(m_path, ec);
}

int runCommand(const std::string& command, std::string* output) {
  std::string full = command + " 2>&1";
  FILE* pipe = popen(full.c_str(), "r");
  if (!pipe) return -1;
  std::array<char, 4096> buf{};
  std::string text;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0)
    text.append(buf.data(), n);
  int status = pclose(pipe);
  if (output) *output = std::move(text);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string flipRandomBytes(const std::string& bytes, std::mt19937_64& rng, int trial) {
  std::string bad = bytes;
  const int flips = 1 + static_cast<int>(rng() % 4);
  for (int k = 0; k < flips; ++k) {
    const size_t limit = trial % 3 == 0 ? bad.size() : std::min<size_t>(bad.size(), 4096);
    bad[rng() % limit] ^= static_cast<char>(1 + rng() % 255);
  }
  return bad;
}

int runForked(const std::function<int()>& body, unsigned alarmSeconds) {
  const pid_t pid = fork();
  if (pid == 0) {
    alarm(alarmSeconds);
    _exit(body());
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) return WTERMSIG(status) == SIGALRM ? kHung : kCrashed;
  return WEXITSTATUS(status);
}

Ending readEnding(const std::function<void()>& read, const std::string& file,
                  const std::string& reason, unsigned alarmSeconds) {
  const int status = runForked(
      [&] {
        try {
          read();
          return static_cast<int>(Ending::ReadWithoutError);
        } catch (const std::exception& e) {
          const std::string what = e.what();
          if (dynamic_cast<const InputError*>(&e) && what.find(file) != std::string::npos &&
              what.find(reason) != std::string::npos)
            return static_cast<int>(Ending::Refused);
          std::fprintf(stderr, "other error: %s\n", what.c_str());
          return static_cast<int>(Ending::OtherError);
        }
      },
      alarmSeconds);
  if (status == kCrashed) return Ending::Crashed;
  if (status == kHung) return Ending::Hung;
  return static_cast<Ending>(status);
}

std::string describe(Ending ending) {
  switch (ending) {
  case Ending::Refused:
    return "refused with the expected error";
  case Ending::ReadWithoutError:
    return "read without error";
  case Ending::OtherError:
    return "another error (printed above)";
  case Ending::Crashed:
    return "crashed";
  case Ending::Hung:
    return "hung";
  }
  return "?";
}

void makeFifo(const std::filesystem::path& path) {
  if (::mkfifo(path.c_str(), 0600) != 0)
    throw std::runtime_error("mkfifo " + path.string() + ": " + std::strerror(errno));
}

} // namespace chrysalis::test
