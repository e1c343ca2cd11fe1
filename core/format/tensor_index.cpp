#include "format/tensor_index.h"

#include "common/error.h"
#include "format/h5.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>
#include <set>

namespace chrysalis::format {

namespace {

constexpr int kIndexVersion = 1;
constexpr size_t kMaxRank = 32;

[[noreturn]] void refuse(const std::string& file, const std::string& reason) {
  throw InputError(file, std::string("dataset '") + kTensorIndex + "'", reason);
}

bool isChecksum(const std::string& s) {
  return s.size() == 16 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

IndexedTensor decodeOne(const nlohmann::json& j, size_t i, uint64_t fileSize,
                        const std::string& file) {
  const std::string at = "entry " + std::to_string(i);
  if (!j.is_object()) refuse(file, at + " is not an object");
  auto field = [&](const char* key) -> const nlohmann::json& {
    auto it = j.find(key);
    if (it == j.end()) refuse(file, at + " has no '" + key + "'");
    return *it;
  };
  IndexedTensor t;
  const auto& name = field("name");
  if (!name.is_string() || name.get<std::string>().empty() ||
      name.get<std::string>().find('/') != std::string::npos)
    refuse(file, at + ": the name must be a non-empty string without '/'");
  t.entry.name = name.get<std::string>();
  const std::string place = at + " ('" + t.entry.name + "')";
  const auto& dtype = field("dtype");
  const auto parsed =
      dtype.is_string() ? dtypeFromSafetensors(dtype.get<std::string>()) : std::nullopt;
  if (!parsed) refuse(file, place + ": unknown dtype");
  t.entry.dtype = *parsed;
  const auto& shape = field("shape");
  if (!shape.is_array() || shape.size() > kMaxRank) refuse(file, place + ": bad shape");
  // Bounded by the file: a tensor cannot hold more bytes than the file has,
  // and its non-zero dimensions multiply to at most the file's size (so that
  // counting its elements cannot overflow, even beside a zero dimension).
  uint64_t nonZero = 1;
  for (const auto& d : shape) {
    if (!d.is_number_unsigned() || d.get<uint64_t>() > fileSize)
      refuse(file, place + ": bad shape");
    const auto n = d.get<uint64_t>();
    if (n == 0) continue;
    if (nonZero > fileSize / n) refuse(file, place + ": bad shape");
    nonZero *= n;
  }
  for (const auto& d : shape)
    t.entry.shape.push_back(static_cast<int64_t>(d.get<uint64_t>()));
  const uint64_t bytes = static_cast<uint64_t>(t.entry.elementCount()) * dtypeSize(t.entry.dtype);
  const auto& offset = field("offset");
  if (!offset.is_number_unsigned()) refuse(file, place + ": bad offset");
  t.offset = offset.get<uint64_t>();
  if (bytes > fileSize || t.offset > fileSize - bytes)
    refuse(file, place + ": its bytes would lie outside the file");
  const auto& checksum = field("xxh3_64");
  if (!checksum.is_string() || !isChecksum(checksum.get<std::string>()))
    refuse(file, place + ": the checksum must be 16 lower-case hex digits");
  t.checksum = checksum.get<std::string>();
  const auto& nonFinite = field("non_finite");
  if (!nonFinite.is_number_unsigned() ||
      nonFinite.get<uint64_t>() > static_cast<uint64_t>(t.entry.elementCount()))
    refuse(file, place + ": bad non_finite count");
  t.nonFinite = nonFinite.get<int64_t>();
  return t;
}

} // namespace

std::string encodeTensorIndex(const std::vector<IndexedTensor>& tensors) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& t : tensors)
    list.push_back({{"name", t.entry.name},
                    {"dtype", safetensorsName(t.entry.dtype)},
                    {"shape", t.entry.shape},
                    {"offset", t.offset},
                    {"xxh3_64", t.checksum},
                    {"non_finite", t.nonFinite}});
  return nlohmann::json{{"version", kIndexVersion}, {"tensors", list}}.dump();
}

std::vector<IndexedTensor> decodeTensorIndex(const std::string& text, uint64_t fileSize,
                                             const std::string& file) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) refuse(file, "not a JSON object");
  auto version = j.find("version");
  if (version == j.end() || !version->is_number_unsigned() ||
      version->get<uint64_t>() != static_cast<uint64_t>(kIndexVersion))
    refuse(file, "unknown index version");
  auto list = j.find("tensors");
  if (list == j.end() || !list->is_array() || list->size() > h5::kMaxGroupMembers)
    refuse(file, "no list of tensors");
  std::vector<IndexedTensor> out;
  std::set<std::string> names;
  for (size_t i = 0; i < list->size(); ++i) {
    out.push_back(decodeOne((*list)[i], i, fileSize, file));
    if (!names.insert(out.back().entry.name).second)
      refuse(file, "tensor '" + out.back().entry.name + "' is listed twice");
  }
  // No two tensors may share bytes.
  std::vector<const IndexedTensor*> byOffset;
  for (const auto& t : out)
    if (t.entry.byteSize() > 0) byOffset.push_back(&t);
  std::sort(byOffset.begin(), byOffset.end(),
            [](const auto* a, const auto* b) { return a->offset < b->offset; });
  for (size_t i = 1; i < byOffset.size(); ++i)
    if (byOffset[i - 1]->offset + byOffset[i - 1]->entry.byteSize() > byOffset[i]->offset)
      refuse(file, "tensors '" + byOffset[i - 1]->entry.name + "' and '" + byOffset[i]->entry.name +
                       "' overlap");
  return out;
}

} // namespace chrysalis::format
