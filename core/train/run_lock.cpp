#include "train/run_lock.h"

#include "common/error.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/file.h>
#include <unistd.h>

namespace chrysalis::train {

RunLock::RunLock(const std::filesystem::path& seriesDir) {
  std::error_code ec;
  std::filesystem::create_directories(seriesDir, ec);
  if (ec) throw InputError(seriesDir.string(), "", "cannot create folder: " + ec.message());
  const auto path = seriesDir / kRunLockFile;
  // O_NOFOLLOW: a link planted under the lock's name is not followed.
  m_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (m_fd < 0)
    throw InputError(path.string(), "",
                     std::string("cannot open the run lock: ") + std::strerror(errno));
  if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(m_fd);
    m_fd = -1;
    if (error == EWOULDBLOCK)
      throw InputError(seriesDir.string(), "",
                       "another chrysalis-cli train is writing this series (it holds " +
                           std::string(kRunLockFile) + "); wait for it or choose another folder");
    throw InputError(path.string(), "", std::string("cannot lock: ") + std::strerror(error));
  }
  // For whoever looks: which process holds it (the lock, not the text, counts).
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(m_fd, 0) == 0 && ::write(m_fd, pid.data(), pid.size()) < 0) {
    // informational only
  }
}

RunLock::~RunLock() {
  if (m_fd >= 0) ::close(m_fd); // releases the lock; the file stays
}

} // namespace chrysalis::train
