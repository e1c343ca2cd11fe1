#pragma once
// One checkpoint = one HDF5 file (see docs/series-format.md): training
// attributes on the root group, tensors under /tensors with Hugging Face
// BertForMaskedLM names. Files are only ever published whole (atomic_file.h).
#include "format/dtype.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace chrysalis::h5 {
struct File;
}

namespace chrysalis::format {

inline constexpr int64_t kFormatVersion = 1;
inline constexpr const char* kTensorGroup = "/tensors";
// Each tensor's XXH3-64 of its raw little-endian bytes, as 16 hex digits;
// checked on read when present (docs/series-format.md).
inline constexpr const char* kChecksumAttr = "xxh3_64";

struct CheckpointInfo {
  std::filesystem::path path;
  int64_t step = 0;
  int64_t tokensSeen = 0;
  double wallTime = 0.0;     // seconds since the run started
  double learningRate = 0.0; // at this step
  std::optional<double> trainLoss;
  // Other numeric root attributes (mlm_loss, reg_loss, ...), read only when
  // asked for (ReadExtras::Yes).
  std::map<std::string, double> extra;
  bool hasWeights = true; // false for a metadata-only (pruned) checkpoint
};

// Whether a reader lists the root's other attributes into CheckpointInfo::extra.
// Listing them walks the attributes (H5Aiterate2), which crashes HDF5 1.10 on
// some damaged h5py-written files (tests/engine/test_hostile_files.cpp);
// reading known names does not. The GUI process never asks for them.
enum class ReadExtras { No, Yes };

struct TensorEntry {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  // The source file its bytes are read from (import-hf --link), else "".
  std::string linkedSource;
  int64_t elementCount() const;
  size_t byteSize() const { return static_cast<size_t>(elementCount()) * dtypeSize(dtype); }
};

// One tensor for CheckpointReader::readMany.
struct TensorRead {
  TensorEntry entry;
  void* dst = nullptr;   // exactly entry.byteSize() bytes
  int64_t nonFinite = 0; // out: NaN and infinite elements of a float tensor
};

// A tensor to write: raw little-endian elements of `dtype`.
struct TensorBlob {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  const void* data = nullptr;
};

// A tensor linked instead of copied (import-hf --link): its bytes stay at
// `offset` of the absolute path `source`.
struct TensorLink {
  std::string source;
  uint64_t offset = 0;
};

// Reads one checkpoint file. Opening reads only attributes; tensors are read
// one by one into caller-provided memory, after their shape has been checked.
class CheckpointReader {
public:
  explicit CheckpointReader(const std::filesystem::path& path, ReadExtras extras = ReadExtras::No);
  ~CheckpointReader();
  CheckpointReader(CheckpointReader&&) noexcept;
  CheckpointReader& operator=(CheckpointReader&&) noexcept;

  const CheckpointInfo& info() const { return m_info; }
  // Every tensor's name, dtype and shape; reads no data.
  std::vector<TensorEntry> tensors() const;
  TensorEntry tensor(const std::string& name) const;
  bool hasTensor(const std::string& name) const;
  // Reads the tensor's raw elements into dst (exactly entry.byteSize() bytes)
  // and checks its checksum when the file has one (see verify()).
  void read(const TensorEntry& entry, void* dst, size_t dstBytes) const;
  // The same without the checksum, for callers that verify on another thread
  // while they read the next tensor (verify() only hashes memory).
  void readUnverified(const TensorEntry& entry, void* dst, size_t dstBytes) const;
  // The tensor's stored checksum, or "" when the file has none. Call on the
  // reading thread (HDF5); compare with tensorChecksum() anywhere.
  std::string storedChecksum(const TensorEntry& entry) const;
  // Throws InputError naming the file and tensor when `data` does not match
  // `stored` (a no-op for an empty `stored`). Thread-safe: touches no HDF5.
  void verify(const TensorEntry& entry, const std::string& stored, const void* data,
              size_t bytes) const;
  // Reads and verifies many tensors, as read() does each. HDF5 says where
  // each lies (on this thread); then `threads` threads (0: one per core, at
  // most 4) stream the bytes in blocks small enough to stay in the CPU cache,
  // hashing each block and counting its non-finite floats while it is there,
  // so verifying costs little more than the copy. Throws like read() for a
  // bad tensor; `dst` memory is then partly overwritten.
  void readMany(std::vector<TensorRead>& reads, unsigned threads = 0) const;
  const std::string& path() const;
  // Whether the tensors' places come from the file's tensor index
  // (format/tensor_index.h) rather than from HDF5 tensor by tensor.
  bool indexed() const {
    readIndex();
    return m_indexed;
  }

private:
  std::string storedChecksum(const std::string& name) const;

  std::unique_ptr<h5::File> m_file;
  CheckpointInfo m_info;
  // Entries as looked up once, so that readMany after validation does not
  // ask HDF5 again (tens of microseconds a lookup, 200 per BERT-base).
  mutable std::map<std::string, TensorEntry> m_entries;
  // From the same lookup: where a contiguous tensor's bytes start, and its
  // stored checksum ("" when none), so readMany opens no dataset again.
  struct Placement {
    std::optional<uint64_t> offset;
    std::string checksum;
    std::optional<int64_t> nonFinite; // from the tensor index, when the file has one
  };
  mutable std::map<std::string, Placement> m_placements;
  // Files with a tensor index (format/tensor_index.h) fill both maps from it
  // on the first question about tensors (a listing, which opens every
  // checkpoint for its attributes, never reads it); the names in the order
  // listGroup gives them.
  mutable bool m_indexLooked = false;
  mutable bool m_indexed = false;
  mutable std::vector<std::string> m_indexedNames;
  void readIndex() const;
};

// Writes a checkpoint atomically (temporary name, fsync, rename). An empty
// `tensors` writes a metadata-only checkpoint. With `links` (one per tensor),
// each tensor refers to its source's bytes instead of holding a copy; its
// blob's `data` still holds them, for the checksum.
void writeCheckpoint(const std::filesystem::path& finalPath, const CheckpointInfo& info,
                     const std::vector<TensorBlob>& tensors,
                     const std::vector<TensorLink>& links = {});

// NaN and infinite elements among `bytes` of raw `dtype` elements (0 for
// non-float dtypes).
int64_t countNonFinite(DType dtype, const void* data, size_t bytes);

// The checksum stored in kChecksumAttr for these raw bytes.
std::string tensorChecksum(const void* data, size_t bytes);

// "step-0000001000.h5" for step 1000; and the inverse (nullopt if not one).
// Only the canonical name counts: "step-40.h5" beside "step-0000000040.h5"
// would list one step twice.
std::string checkpointFileName(int64_t step);
std::optional<int64_t> stepFromFileName(const std::string& name);
// Whether `name` looks like a step file ("step-<digits>.h5") without being
// the canonical name of its step (listings report these).
bool isNonCanonicalStepName(const std::string& name);

} // namespace chrysalis::format
