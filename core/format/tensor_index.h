#pragma once
// A checkpoint's tensor index (docs/series-format.md, "Tensor index"): where
// each tensor's bytes lie in the file, their checksum and how many of their
// elements are NaN or infinite, in one small dataset written last. A reader
// that trusts it (after checking its own checksum and every range) streams
// the tensors without asking HDF5 about each one: ~60 µs a tensor, 13 ms for
// a BERT-base checkpoint, a fifth of its load.
#include "format/checkpoint_file.h"

#include <cstdint>
#include <string>
#include <vector>

namespace chrysalis::format {

inline constexpr const char* kTensorIndex = "/tensor_index";
// The index is small (~150 bytes a tensor, 30 kB for BERT-base); anything
// larger is refused unread (parsed, JSON takes ~20x its text in memory).
inline constexpr uint64_t kMaxTensorIndexBytes = 16ull << 20;

struct IndexedTensor {
  TensorEntry entry;
  uint64_t offset = 0;  // where the bytes start in the checkpoint file
  std::string checksum; // kChecksumAttr's 16 hex digits
  int64_t nonFinite = 0;
};

// The index as stored: JSON text.
std::string encodeTensorIndex(const std::vector<IndexedTensor>& tensors);

// Parses and checks an index read from `file` of `fileSize` bytes: every
// entry well formed, names unique, each range inside the file and no two
// overlapping. Throws InputError naming the file and the index otherwise.
// (The reader also checks the count against the /tensors group and falls
// back to HDF5 when another tool has added or deleted tensors.)
std::vector<IndexedTensor> decodeTensorIndex(const std::string& text, uint64_t fileSize,
                                             const std::string& file);

} // namespace chrysalis::format
