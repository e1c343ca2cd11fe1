#pragma once
// safetensors (Hugging Face): an 8-byte little-endian header length N, N
// bytes of JSON header {name: {dtype, shape, data_offsets: [begin, end]},
// "__metadata__": {str: str}}, then the raw little-endian tensor data.
// Parsing is strict: a malformed header, an unknown dtype, offsets that
// overlap, leave the data section, or disagree with dtype x shape are errors.
#include "common/input_file.h"
#include "format/dtype.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace chrysalis::format {

struct SafetensorsEntry {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  uint64_t begin = 0; // offset in the data section
  uint64_t end = 0;
};

struct SafetensorsHeader {
  uint64_t headerBytes = 0;              // N
  uint64_t dataOffset = 0;               // 8 + N: where the data section starts in the file
  std::vector<SafetensorsEntry> tensors; // sorted by begin offset
  std::map<std::string, std::string> metadata;
  const SafetensorsEntry* find(const std::string& name) const;
};

// Parses the header from the first bytes of a file whose total size is
// `fileSize`. `prefix` must start at byte 0 and contain at least 8 + N bytes
// (call headerLength first to know N). `file` names the file in errors.
uint64_t safetensorsHeaderLength(std::string_view prefix, uint64_t fileSize,
                                 const std::string& file);
SafetensorsHeader parseSafetensorsHeader(std::string_view prefix, uint64_t fileSize,
                                         const std::string& file);

// Reads a safetensors file's header and gives access to its tensors' bytes.
class SafetensorsFile {
public:
  explicit SafetensorsFile(const std::filesystem::path& path);
  const SafetensorsHeader& header() const { return m_header; }
  // Reads one tensor's raw bytes (exactly entry.end - entry.begin bytes into dst).
  void read(const SafetensorsEntry& entry, void* dst) const;
  const std::string& path() const { return m_path; }

private:
  std::string m_path;
  std::shared_ptr<InputFile> m_file; // kept open: the tensors are read from this same file
  SafetensorsHeader m_header;
};

} // namespace chrysalis::format
