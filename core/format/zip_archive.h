#pragma once
// A reader of the zip archives torch.save writes (PyTorch >= 1.6): stored
// (uncompressed) entries only, zip64 understood, every offset and size checked
// against the file before use. Entries are read at their offsets, so a
// multi-gigabyte pytorch_model.bin is never loaded whole.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace chrysalis {
class InputFile;
}

namespace chrysalis::format {

struct ZipEntry {
  std::string name;
  uint64_t size = 0;       // bytes (stored entries: compressed = uncompressed)
  uint64_t dataOffset = 0; // where the entry's bytes start in the archive
  uint32_t crc32 = 0;
};

// Random access to the archive's bytes: the file, or memory in the fuzzer.
struct ZipBytes {
  uint64_t size = 0;
  std::function<void(uint64_t offset, void* dst, size_t bytes)> readAt; // throws when short
};

class ZipArchive {
public:
  // Reads the central directory and every entry's local header. Throws
  // InputError naming `file` for anything that is not a well-formed archive
  // of stored entries lying wholly inside the file.
  ZipArchive(ZipBytes bytes, std::string file);
  // Opens a file on disk.
  static ZipArchive open(const std::string& path);

  const std::vector<ZipEntry>& entries() const { return m_entries; }
  const ZipEntry* find(const std::string& name) const;
  // Reads `bytes` bytes at `offset` within the entry.
  void read(const ZipEntry& e, uint64_t offset, void* dst, size_t bytes) const;
  // Reads the whole entry and checks its CRC-32.
  std::string readAll(const ZipEntry& e, uint64_t maxBytes) const;
  // Throws unless `data` (the whole entry) matches the entry's CRC-32.
  void checkCrc(const ZipEntry& e, const void* data, size_t bytes) const;
  const std::string& file() const { return m_file; }

private:
  ZipBytes m_bytes;
  std::string m_file;
  std::vector<ZipEntry> m_entries;
};

} // namespace chrysalis::format
