#include "format/zip_archive.h"

#include "common/error.h"
#include "common/input_file.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <limits>

namespace chrysalis::format {

namespace {
constexpr uint32_t kEndOfDirectory = 0x06054b50;
constexpr uint32_t kZip64Locator = 0x07064b50;
constexpr uint32_t kZip64End = 0x06064b50;
constexpr uint32_t kDirectoryHeader = 0x02014b50;
constexpr uint32_t kLocalHeader = 0x04034b50;
constexpr uint64_t kMaxDirectoryBytes = 64ull << 20;
constexpr uint64_t kMaxEntries = 1'000'000;
constexpr uint64_t kEndSearch = 22 + 65535; // the end record plus the longest comment

uint64_t le(const unsigned char* p, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; --i)
    v = (v << 8) | p[i];
  return v;
}

// Bounds-checked little-endian reads from a buffer of the archive.
struct Cursor {
  const unsigned char* p;
  size_t size;
  size_t at = 0;
  const std::string& file;
  std::string place;
  uint64_t take(int n) {
    if (size - at < static_cast<size_t>(n) || at > size)
      throw InputError(file, place, "record runs past the central directory");
    uint64_t v = le(p + at, n);
    at += static_cast<size_t>(n);
    return v;
  }
  std::string bytes(size_t n) {
    if (size - at < n) throw InputError(file, place, "record runs past the central directory");
    std::string s(reinterpret_cast<const char*>(p + at), n);
    at += n;
    return s;
  }
};
} // namespace

ZipArchive::ZipArchive(ZipBytes bytes, std::string file)
    : m_bytes(std::move(bytes)), m_file(std::move(file)) {
  const uint64_t size = m_bytes.size;
  if (size < 22) throw InputError(m_file, "", "not a zip archive (too short)");
  // The end-of-central-directory record is the last thing in the file.
  const uint64_t tailSize = std::min(size, kEndSearch);
  std::vector<unsigned char> tail(tailSize);
  m_bytes.readAt(size - tailSize, tail.data(), tailSize);
  int64_t eocd = -1;
  for (int64_t i = static_cast<int64_t>(tailSize) - 22; i >= 0; --i)
    if (le(&tail[static_cast<size_t>(i)], 4) == kEndOfDirectory) {
      eocd = i;
      break;
    }
  if (eocd < 0) {
    unsigned char head[4];
    m_bytes.readAt(0, head, 4);
    if (le(head, 4) == kLocalHeader)
      throw InputError(m_file, "", "truncated or damaged zip archive (no end-of-directory record)");
    if (head[0] == 0x80) // a bare pickle: torch.save before PyTorch 1.6
      throw InputError(m_file, "",
                       "PyTorch's legacy format (saved before 1.6): load and torch.save it "
                       "again with a newer PyTorch");
    throw InputError(m_file, "", "not a zip archive");
  }
  const unsigned char* e = &tail[static_cast<size_t>(eocd)];
  uint64_t count = le(e + 10, 2), dirBytes = le(e + 12, 4), dirOffset = le(e + 16, 4);
  const uint64_t eocdPos = size - tailSize + static_cast<uint64_t>(eocd);
  if (count == 0xFFFF || dirBytes == 0xFFFFFFFF || dirOffset == 0xFFFFFFFF) {
    if (eocdPos < 20) throw InputError(m_file, "zip64 locator", "missing");
    unsigned char loc[20];
    m_bytes.readAt(eocdPos - 20, loc, 20);
    if (le(loc, 4) != kZip64Locator) throw InputError(m_file, "zip64 locator", "missing");
    const uint64_t recPos = le(loc + 8, 8);
    if (recPos > size - 56) throw InputError(m_file, "zip64 end record", "outside the file");
    unsigned char rec[56];
    m_bytes.readAt(recPos, rec, 56);
    if (le(rec, 4) != kZip64End) throw InputError(m_file, "zip64 end record", "bad signature");
    count = le(rec + 32, 8);
    dirBytes = le(rec + 40, 8);
    dirOffset = le(rec + 48, 8);
  }
  if (count > kMaxEntries)
    throw InputError(m_file, "central directory", std::to_string(count) + " entries is too many");
  if (dirBytes > kMaxDirectoryBytes || dirOffset > size || dirBytes > size - dirOffset)
    throw InputError(m_file, "central directory", "lies outside the file");

  std::vector<unsigned char> dir(dirBytes);
  m_bytes.readAt(dirOffset, dir.data(), dirBytes);
  Cursor c{dir.data(), dir.size(), 0, m_file, "central directory"};
  m_entries.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    c.place = "central directory entry " + std::to_string(i);
    if (c.take(4) != kDirectoryHeader) throw InputError(m_file, c.place, "bad signature");
    c.take(4); // versions
    const uint64_t flags = c.take(2), method = c.take(2);
    c.take(4); // time, date
    ZipEntry z;
    z.crc32 = static_cast<uint32_t>(c.take(4));
    uint64_t packed = c.take(4), unpacked = c.take(4);
    const uint64_t nameLen = c.take(2), extraLen = c.take(2), commentLen = c.take(2);
    c.take(8); // disk, attributes
    uint64_t local = c.take(4);
    z.name = c.bytes(nameLen);
    c.place = "entry '" + z.name + "'";
    Cursor x{c.p + c.at, static_cast<size_t>(std::min<uint64_t>(extraLen, c.size - c.at)), 0,
             m_file, c.place};
    c.bytes(extraLen);
    c.bytes(commentLen);
    while (x.size - x.at >= 4) { // the zip64 extra field holds the sizes that did not fit
      const uint64_t id = x.take(2), len = x.take(2);
      if (id != 0x0001) {
        x.bytes(len);
        continue;
      }
      if (unpacked == 0xFFFFFFFF) unpacked = x.take(8);
      if (packed == 0xFFFFFFFF) packed = x.take(8);
      if (local == 0xFFFFFFFF) local = x.take(8);
      break;
    }
    if (flags & 1) throw InputError(m_file, c.place, "encrypted entries are not supported");
    if (method != 0 || packed != unpacked)
      throw InputError(m_file, c.place,
                       "compressed entries are not supported (torch.save stores them "
                       "uncompressed)");
    if (local > size - 30) throw InputError(m_file, c.place, "local header outside the file");
    unsigned char lh[30];
    m_bytes.readAt(local, lh, 30);
    if (le(lh, 4) != kLocalHeader) throw InputError(m_file, c.place, "bad local header");
    const uint64_t start = local + 30 + le(lh + 26, 2) + le(lh + 28, 2);
    if (start > size || unpacked > size - start)
      throw InputError(m_file, c.place, "data runs past the end of the file (truncated?)");
    z.size = unpacked;
    z.dataOffset = start;
    m_entries.push_back(std::move(z));
  }
}

ZipArchive ZipArchive::open(const std::string& path) {
  auto f = std::make_shared<InputFile>(path, std::numeric_limits<uint64_t>::max());
  ZipBytes b;
  b.size = f->size();
  b.readAt = [f](uint64_t offset, void* dst, size_t bytes) {
    f->readAt(offset, dst, bytes, "offset " + std::to_string(offset));
  };
  return ZipArchive(std::move(b), path);
}

const ZipEntry* ZipArchive::find(const std::string& name) const {
  for (const auto& e : m_entries)
    if (e.name == name) return &e;
  return nullptr;
}

void ZipArchive::read(const ZipEntry& e, uint64_t offset, void* dst, size_t bytes) const {
  if (offset > e.size || bytes > e.size - offset)
    throw InputError(m_file, "entry '" + e.name + "'", "read past the end of the entry");
  m_bytes.readAt(e.dataOffset + offset, dst, bytes);
}

std::string ZipArchive::readAll(const ZipEntry& e, uint64_t maxBytes) const {
  if (e.size > maxBytes)
    throw InputError(m_file, "entry '" + e.name + "'",
                     std::to_string(e.size) + " bytes is more than this entry may hold");
  std::string s(e.size, '\0');
  m_bytes.readAt(e.dataOffset, s.data(), s.size());
  checkCrc(e, s.data(), s.size());
  return s;
}

void ZipArchive::checkCrc(const ZipEntry& e, const void* data, size_t bytes) const {
  uLong crc = crc32(0L, Z_NULL, 0);
  const auto* p = static_cast<const Bytef*>(data);
  while (bytes > 0) { // zlib takes 32-bit lengths
    const uInt n = static_cast<uInt>(std::min<size_t>(bytes, 1u << 30));
    crc = crc32(crc, p, n);
    p += n;
    bytes -= n;
  }
  if (static_cast<uint32_t>(crc) != e.crc32)
    throw InputError(m_file, "entry '" + e.name + "'",
                     "CRC-32 mismatch: the file is damaged or was changed");
}

} // namespace chrysalis::format
