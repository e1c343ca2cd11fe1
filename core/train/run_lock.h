#pragma once
// One trainer per series folder. Two `train` runs started into one folder at
// once both saw no series.json and wrote checkpoints of different seeds into
// it; the first to take this lock now runs, the other fails at once.
// flock locks die with their process, so a lock file left by a killed run
// never blocks the next one.
#include <filesystem>

namespace chrysalis::train {

inline constexpr const char* kRunLockFile = ".chrysalis-train.lock";

class RunLock {
public:
  // Creates `seriesDir` if needed and takes an exclusive lock on its lock
  // file, or throws InputError naming the folder when another process holds it.
  explicit RunLock(const std::filesystem::path& seriesDir);
  ~RunLock();
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

private:
  int m_fd = -1;
};

} // namespace chrysalis::train
