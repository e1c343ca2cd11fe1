#include "format/safetensors.h"

#include "common/error.h"
#include "common/input_file.h"
#include "common/json_bounded.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>

namespace chrysalis::format {

namespace {
// The reference implementation caps the header at 100 MB.
constexpr uint64_t kMaxHeaderBytes = 100'000'000;
constexpr size_t kMaxRank = 8;

[[noreturn]] void fail(const std::string& file, const std::string& place, const std::string& why) {
  throw InputError(file, place, why);
}
} // namespace

const SafetensorsEntry* SafetensorsHeader::find(const std::string& name) const {
  for (const auto& t : tensors)
    if (t.name == name) return &t;
  return nullptr;
}

uint64_t safetensorsHeaderLength(std::string_view prefix, uint64_t fileSize,
                                 const std::string& file) {
  if (fileSize < 8 || prefix.size() < 8) fail(file, "header", "file shorter than 8 bytes");
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i)
    n = (n << 8) | static_cast<unsigned char>(prefix[static_cast<size_t>(i)]);
  if (n < 2) fail(file, "header", "header length " + std::to_string(n) + " is too small");
  if (n > kMaxHeaderBytes)
    fail(file, "header", "header length " + std::to_string(n) + " exceeds 100 MB");
  if (n > fileSize - 8)
    fail(file, "header", "header length " + std::to_string(n) + " runs past the end of the file");
  return n;
}

SafetensorsHeader parseSafetensorsHeader(std::string_view prefix, uint64_t fileSize,
                                         const std::string& file) {
  SafetensorsHeader h;
  h.headerBytes = safetensorsHeaderLength(prefix, fileSize, file);
  h.dataOffset = 8 + h.headerBytes;
  if (prefix.size() < h.dataOffset) fail(file, "header", "truncated header");
  const uint64_t dataSize = fileSize - h.dataOffset;

  const nlohmann::json j =
      parseJsonBounded(prefix.substr(8, h.headerBytes), file, kMaxJsonDepth, "header");
  if (!j.is_object()) fail(file, "header", "not a JSON object");

  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& name = it.key();
    const auto& v = it.value();
    if (name == "__metadata__") {
      if (!v.is_object()) fail(file, "__metadata__", "expected an object of strings");
      for (auto m = v.begin(); m != v.end(); ++m) {
        if (!m.value().is_string()) fail(file, "__metadata__." + m.key(), "expected a string");
        h.metadata[m.key()] = m.value().get<std::string>();
      }
      continue;
    }
    const std::string place = "tensor '" + name + "'";
    if (!v.is_object()) fail(file, place, "expected an object");
    if (!v.contains("dtype") || !v["dtype"].is_string()) fail(file, place, "missing dtype");
    if (!v.contains("shape") || !v["shape"].is_array()) fail(file, place, "missing shape");
    if (!v.contains("data_offsets") || !v["data_offsets"].is_array() ||
        v["data_offsets"].size() != 2)
      fail(file, place, "data_offsets must be [begin, end]");
    SafetensorsEntry e;
    e.name = name;
    auto dt = dtypeFromSafetensors(v["dtype"].get<std::string>());
    if (!dt) fail(file, place, "unsupported dtype " + v["dtype"].dump());
    e.dtype = *dt;
    if (v["shape"].size() > kMaxRank) fail(file, place, "rank above 8");
    // Element count with overflow checks: a crafted header may declare anything.
    uint64_t count = 1;
    for (const auto& d : v["shape"]) {
      if (!d.is_number_unsigned()) fail(file, place, "shape must hold non-negative integers");
      uint64_t x = d.get<uint64_t>();
      if (x > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        fail(file, place, "dimension too large");
      if (x != 0 && count > std::numeric_limits<uint64_t>::max() / x)
        fail(file, place, "shape overflows");
      count *= x;
      e.shape.push_back(static_cast<int64_t>(x));
    }
    for (const auto& o : v["data_offsets"])
      if (!o.is_number_unsigned()) fail(file, place, "data_offsets must be non-negative integers");
    e.begin = v["data_offsets"][0].get<uint64_t>();
    e.end = v["data_offsets"][1].get<uint64_t>();
    if (e.begin > e.end) fail(file, place, "data_offsets begin after end");
    if (e.end > dataSize)
      fail(file, place,
           "data_offsets [" + std::to_string(e.begin) + ", " + std::to_string(e.end) +
               "] run past the data section (" + std::to_string(dataSize) + " bytes)");
    uint64_t elem = dtypeSize(e.dtype);
    if (count > std::numeric_limits<uint64_t>::max() / elem || count * elem != e.end - e.begin)
      fail(file, place, "byte range does not match dtype " + safetensorsName(e.dtype) + " x shape");
    h.tensors.push_back(std::move(e));
  }
  std::sort(h.tensors.begin(), h.tensors.end(),
            [](const SafetensorsEntry& a, const SafetensorsEntry& b) {
              return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
            });
  for (size_t i = 1; i < h.tensors.size(); ++i)
    if (h.tensors[i].begin < h.tensors[i - 1].end)
      fail(file, "tensor '" + h.tensors[i].name + "'",
           "data overlaps tensor '" + h.tensors[i - 1].name + "'");
  return h;
}

SafetensorsFile::SafetensorsFile(const std::filesystem::path& path)
    : m_path(path.string()),
      m_file(std::make_shared<InputFile>(path, std::numeric_limits<uint64_t>::max())) {
  const uint64_t size = m_file->size();
  std::string prefix(std::min<uint64_t>(size, 8), '\0');
  m_file->readAt(0, prefix.data(), prefix.size(), "header");
  uint64_t n = safetensorsHeaderLength(prefix, size, m_path);
  prefix.resize(8 + n);
  m_file->readAt(8, prefix.data() + 8, n, "header");
  m_header = parseSafetensorsHeader(prefix, size, m_path);
}

void SafetensorsFile::read(const SafetensorsEntry& entry, void* dst) const {
  m_file->readAt(m_header.dataOffset + entry.begin, dst, entry.end - entry.begin,
                 "tensor '" + entry.name + "'");
}

} // namespace chrysalis::format
