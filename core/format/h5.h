#pragma once
// Thin RAII wrappers over the HDF5 C API. Every failure throws InputError
// naming the file (and the object where known); HDF5's own error printing is
// switched off so nothing reaches the user's terminal behind our back.
// Only this file and h5*.cpp include hdf5.h. Reading refuses what would make
// HDF5 read anything but this one regular file (h5_checks.h).
#include "common/input_file.h"
#include "format/dtype.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

namespace chrysalis::h5 {

using Id = int64_t; // hid_t

// Owns one HDF5 identifier and closes it with the matching H5*close.
class Handle {
public:
  enum class Kind { File, Group, Dataset, Attribute, Dataspace, Datatype, PropertyList };
  Handle() = default;
  Handle(Id id, Kind kind) : m_id(id), m_kind(kind) {}
  Handle(Handle&& o) noexcept : m_id(o.m_id), m_kind(o.m_kind) { o.m_id = -1; }
  Handle& operator=(Handle&& o) noexcept;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }
  Id id() const { return m_id; }
  bool valid() const { return m_id >= 0; }
  void reset();

private:
  Id m_id = -1;
  Kind m_kind = Kind::File;
};

// An open file plus its path, so that every error can name it.
struct File {
  Handle handle;
  std::string path;
  std::shared_ptr<InputFile> input; // our own descriptor of it (read files only)
  // Read files only: the link paths already found to exist and be internal.
  // A published file never changes (see openRead), so each link is checked
  // once per open, not at every object read through it.
  std::shared_ptr<std::unordered_set<std::string>> knownLinks;
};

// Opens read-only; refuses anything but a regular file (a FIFO, a device)
// before HDF5 sees it. HDF5 file locking is off: series live on shared cluster
// file systems, and Chrysalis never modifies a file once it has its final name.
File openRead(const std::filesystem::path& path);
// Creates (truncating) a file for writing.
File create(const std::filesystem::path& path);
void flush(const File& f);

Handle openGroup(const File& f, const std::string& name);
Handle createGroup(const File& f, const std::string& name);
bool exists(const File& f, const std::string& name);
// Names of the direct members of a group (at most kMaxGroupMembers).
inline constexpr size_t kMaxGroupMembers = 1 << 20;
std::vector<std::string> listGroup(const File& f, const std::string& group);
// How many links a group holds, without walking them (HDF5 1.10 can crash
// walking a damaged group's dense link storage; counting reads one header).
size_t groupSize(const File& f, const std::string& group);
// Walks the tree under `root` depth first: visit(relative path, isGroup)
// for every member, descending into a group when visit returns true.
// Refuses external links, a tree deeper than kMaxGroupDepth, more than
// kMaxWalkObjects objects, and any object reached twice (hard-link cycles).
inline constexpr int kMaxGroupDepth = 32;
inline constexpr size_t kMaxWalkObjects = 100'000;
void walkGroup(const File& f, const std::string& root,
               const std::function<bool(const std::string& rel, bool isGroup)>& visit);

// What a dataset holds, read without touching its data.
struct DatasetInfo {
  std::vector<int64_t> shape;
  format::DType dtype = format::DType::F32;
  bool bfloat16Tagged = false; // uint16 storage tagged dtype="bfloat16"
  // The file its bytes live in (a linked source, h5_checks.h), else "".
  std::string externalFile;
  int64_t elementCount() const;
};
DatasetInfo datasetInfo(const File& f, const std::string& name);
// datasetInfo, its place and one string attribute of the dataset (nullopt
// when absent) from one open: a reader of hundreds of datasets (a
// checkpoint's tensors) otherwise opens each several times.
struct DatasetLookup {
  DatasetInfo info;
  // Where the bytes start in the file when they are one contiguous, unfiltered
  // range of it, after the same size check readDatasetRaw makes; nullopt when
  // only HDF5 can read them (chunked, filtered, external storage, empty).
  // Readers stream the bytes themselves; the writer records the place.
  std::optional<uint64_t> offset;
  std::optional<std::string> attr;
};
DatasetLookup lookupDataset(const File& f, const std::string& name, const std::string& attr);
// Reads a looked-up dataset whole into `dst` (exactly `bytes`): straight from
// the file where its bytes are one contiguous range, else through HDF5.
void readLookedUp(const File& f, const std::string& name, const DatasetLookup& found, void* dst,
                  size_t bytes);
// Reads a whole dataset into `dst`, which must hold exactly
// info.elementCount() * dtypeSize(info.dtype) bytes. No type conversion.
void readDatasetRaw(const File& f, const std::string& name, const DatasetInfo& info, void* dst,
                    size_t dstBytes);
// Writes a contiguous dataset of raw little-endian elements.
void writeDatasetRaw(const File& f, const std::string& name, format::DType dtype,
                     const std::vector<int64_t>& shape, const void* data);
// A contiguous dataset whose bytes stay in `externalFile` (an absolute path)
// at `offset`: HDF5 external storage, for series imported with --link.
// Readers accept it only with a checksum attribute (h5_checks.h).
void writeDatasetExternal(const File& f, const std::string& name, format::DType dtype,
                          const std::vector<int64_t>& shape, const std::string& externalFile,
                          uint64_t offset);
// A list of strings: the group `name` holding "utf8" (uint8, the strings back
// to back) and "offsets" (int64, n + 1). readStrings also reads the older
// variable-length string dataset.
void writeStrings(const File& f, const std::string& name, const std::vector<std::string>& values);
std::vector<std::string> readStrings(const File& f, const std::string& name, size_t maxCount);
// Whether `name` is a string list in the group form written by writeStrings.
bool isStringList(const File& f, const std::string& name);

// Attributes on the object `objectName` ("/" for the root).
bool hasAttr(const File& f, const std::string& objectName, const std::string& attr);
std::vector<std::string> listAttrs(const File& f, const std::string& objectName);
int64_t readAttrInt(const File& f, const std::string& objectName, const std::string& attr);
double readAttrDouble(const File& f, const std::string& objectName, const std::string& attr);
// Strings are bounded (1 MiB) so a hostile file cannot make us allocate more.
std::string readAttrString(const File& f, const std::string& objectName, const std::string& attr);
// True when the attribute is a numeric scalar (integer or float).
bool isNumericScalarAttr(const File& f, const std::string& objectName, const std::string& attr);
void writeAttrInt(const File& f, const std::string& objectName, const std::string& attr, int64_t v);
void writeAttrDouble(const File& f, const std::string& objectName, const std::string& attr,
                     double v);
void writeAttrString(const File& f, const std::string& objectName, const std::string& attr,
                     const std::string& v);

} // namespace chrysalis::h5
