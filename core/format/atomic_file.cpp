#include "format/atomic_file.h"

#include "common/error.h"
#include "common/input_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <random>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace chrysalis::format {

namespace {
void fsyncPath(const fs::path& p, bool directory) {
  int fd = ::open(p.c_str(), directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
  if (fd < 0)
    throw InputError(p.string(), "", std::string("cannot open for sync: ") + strerror(errno));
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0 && !directory)
    throw InputError(p.string(), "", std::string("fsync failed: ") + strerror(err));
}

fs::path temporaryNameFor(const fs::path& finalPath) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  std::ostringstream name;
  name << finalPath.filename().string() << kTempMarker << ::getpid() << "-" << std::hex << rng();
  return finalPath.parent_path() / name.str();
}
} // namespace

bool isTemporaryName(const fs::path& p) {
  return p.filename().string().find(kTempMarker) != std::string::npos;
}

void publishAtomically(const fs::path& finalPath,
                       const std::function<void(const fs::path&)>& write) {
  fs::path temp = temporaryNameFor(finalPath);
  try {
    write(temp);
    fsyncPath(temp, false);
  } catch (const InputError& e) {
    std::error_code ec;
    fs::remove(temp, ec);
    // Name the file the user knows: the temporary one is gone.
    if (e.file() == temp.string()) throw InputError(finalPath.string(), e.place(), e.reason());
    throw;
  } catch (...) {
    std::error_code ec;
    fs::remove(temp, ec);
    throw;
  }
  std::error_code ec;
  fs::rename(temp, finalPath, ec);
  if (ec) {
    fs::remove(temp, ec);
    throw InputError(finalPath.string(), "", "cannot publish: " + ec.message());
  }
  fsyncPath(finalPath.parent_path().empty() ? fs::path(".") : finalPath.parent_path(), true);
}

void writeFileAtomically(const fs::path& finalPath, const std::string& contents) {
  publishAtomically(finalPath, [&](const fs::path& temp) {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    out.flush();
    if (!out) throw InputError(temp.string(), "", "write failed (disk full?)");
  });
}

std::string readSmallFile(const fs::path& path, size_t maxBytes) {
  return readRegularFile(path, maxBytes);
}

} // namespace chrysalis::format
