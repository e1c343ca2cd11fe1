#include "common/input_file.h"

#include "common/error.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <streambuf>
#include <sys/stat.h>
#include <unistd.h>

namespace chrysalis {

namespace {

std::string kindOf(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

std::string sizeText(uint64_t bytes) {
  if (bytes >= (uint64_t{1} << 20) && bytes % (uint64_t{1} << 20) == 0)
    return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}

[[noreturn]] void failErrno(const std::string& file, const std::string& what) {
  const int err = errno;
  throw InputError(file, "", what + ": " + std::strerror(err));
}

} // namespace

// A read buffer over the descriptor that refuses to deliver more than
// maxBytes in all: a file that grows while we read stays bounded.
class InputFile::Buffer : public std::streambuf {
public:
  explicit Buffer(const InputFile& file) : m_file(file) {}

protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    ssize_t n;
    do {
      n = ::read(m_file.fd(), m_data, sizeof m_data);
    } while (n < 0 && errno == EINTR);
    if (n < 0) failErrno(m_file.path(), "read failed");
    if (n == 0) return traits_type::eof();
    m_total += static_cast<uint64_t>(n);
    if (m_total > m_file.maxBytes())
      throw InputError(m_file.path(), "",
                       "grew past its limit of " + sizeText(m_file.maxBytes()) + " while read");
    setg(m_data, m_data, m_data + n);
    return traits_type::to_int_type(*gptr());
  }

private:
  const InputFile& m_file;
  char m_data[1 << 16];
  uint64_t m_total = 0;
};

InputFile::InputFile(const std::filesystem::path& path, uint64_t maxBytes)
    : m_path(path.string()), m_maxBytes(maxBytes) {
  m_fd = ::open(m_path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (m_fd < 0) {
    if (errno == ENOENT) throw InputError(m_path, "", "cannot open: no such file");
    failErrno(m_path, "cannot open");
  }
  struct stat st {};
  if (::fstat(m_fd, &st) != 0) {
    ::close(m_fd);
    failErrno(m_path, "cannot stat");
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(m_fd);
    throw InputError(m_path, "", kindOf(st.st_mode) + ", not a regular file: refused");
  }
  m_size = static_cast<uint64_t>(st.st_size);
  m_device = static_cast<uint64_t>(st.st_dev);
  m_inode = static_cast<uint64_t>(st.st_ino);
  if (m_size > maxBytes) {
    ::close(m_fd);
    throw InputError(m_path, "",
                     "file too large (" + std::to_string(m_size) + " bytes; the limit is " +
                         sizeText(maxBytes) + ")");
  }
  // Regular files never block, but keep reads plainly blocking all the same.
  const int flags = ::fcntl(m_fd, F_GETFL);
  if (flags >= 0) ::fcntl(m_fd, F_SETFL, flags & ~O_NONBLOCK);
}

InputFile::~InputFile() {
  m_stream.reset();
  m_buffer.reset();
  if (m_fd >= 0) ::close(m_fd);
}

InputFile::InputFile(InputFile&& o) noexcept
    : m_fd(o.m_fd), m_path(std::move(o.m_path)), m_size(o.m_size), m_maxBytes(o.m_maxBytes),
      m_device(o.m_device), m_inode(o.m_inode) {
  // The stream's buffer points at `o`; a moved file starts a fresh one.
  o.m_stream.reset();
  o.m_buffer.reset();
  o.m_fd = -1;
}

std::istream& InputFile::stream() {
  if (!m_stream) {
    m_buffer = std::make_unique<Buffer>(*this);
    m_stream = std::make_unique<std::istream>(m_buffer.get());
  }
  return *m_stream;
}

std::string InputFile::readAll() {
  std::string out;
  out.reserve(static_cast<size_t>(m_size));
  char chunk[1 << 16];
  while (true) {
    ssize_t n = ::read(m_fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) failErrno(m_path, "read failed");
    if (n == 0) return out;
    if (out.size() + static_cast<uint64_t>(n) > m_maxBytes)
      throw InputError(m_path, "",
                       "grew past its limit of " + sizeText(m_maxBytes) + " while read");
    out.append(chunk, static_cast<size_t>(n));
  }
}

void InputFile::readAt(uint64_t offset, void* dst, size_t bytes, const std::string& place) const {
  auto* out = static_cast<char*>(dst);
  size_t done = 0;
  while (done < bytes) {
    ssize_t n = ::pread(m_fd, out + done, bytes - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw InputError(m_path, place, "data cannot be read (file truncated?)");
    done += static_cast<size_t>(n);
  }
}

std::string readRegularFile(const std::filesystem::path& path, uint64_t maxBytes) {
  return InputFile(path, maxBytes).readAll();
}

void requireRegularFile(const std::filesystem::path& path) {
  InputFile(path, UINT64_MAX);
}

} // namespace chrysalis
