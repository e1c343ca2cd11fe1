#pragma once
// Opening input files safely. Every reader of outside files goes through
// here, so that a FIFO, a device or a directory under an expected name is
// refused at once (instead of blocking forever or reading /dev/zero without
// end), and a file larger than its format allows is refused before reading.
#include <cstdint>
#include <filesystem>
#include <istream>
#include <memory>
#include <string>

namespace chrysalis {

// An open regular file. Opened with O_NONBLOCK (so opening a FIFO cannot
// block), checked with fstat, then switched back to blocking reads.
class InputFile {
public:
  // Throws InputError naming the file when it is missing, not a regular
  // file, or larger than maxBytes.
  InputFile(const std::filesystem::path& path, uint64_t maxBytes);
  ~InputFile();
  InputFile(InputFile&& other) noexcept;
  InputFile& operator=(InputFile&&) = delete;
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  int fd() const { return m_fd; }
  const std::string& path() const { return m_path; }
  uint64_t size() const { return m_size; } // at open time
  uint64_t maxBytes() const { return m_maxBytes; }
  // Device and inode, to check that another library opened this same file.
  uint64_t device() const { return m_device; }
  uint64_t inode() const { return m_inode; }

  // A stream over the file that ends in an InputError if the file has grown
  // past maxBytes since it was opened. Owned by this object.
  std::istream& stream();
  // The whole file (at most maxBytes).
  std::string readAll();
  // Reads exactly `bytes` at `offset`, or throws naming `place`.
  void readAt(uint64_t offset, void* dst, size_t bytes, const std::string& place) const;

private:
  class Buffer;
  int m_fd = -1;
  std::string m_path;
  uint64_t m_size = 0;
  uint64_t m_maxBytes = 0;
  uint64_t m_device = 0;
  uint64_t m_inode = 0;
  std::unique_ptr<Buffer> m_buffer;
  std::unique_ptr<std::istream> m_stream;
};

// The whole of a small file: opened as InputFile, at most maxBytes.
std::string readRegularFile(const std::filesystem::path& path, uint64_t maxBytes);

// Throws InputError unless `path` names a regular file (FIFOs, devices and
// directories are refused without being opened for reading).
void requireRegularFile(const std::filesystem::path& path);

} // namespace chrysalis
