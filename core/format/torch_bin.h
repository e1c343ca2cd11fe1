#pragma once
// pytorch_model.bin as torch.save writes it (PyTorch >= 1.6): a zip archive
// holding <root>/data.pkl (the state dict, read by torch_pickle.h, never
// executed) and one entry <root>/data/<key> per storage.
#include "format/torch_pickle.h"
#include "format/zip_archive.h"

#include <filesystem>
#include <string>
#include <vector>

namespace chrysalis::format {

struct TorchBinTensor {
  TorchTensorRef ref;
  const ZipEntry* entry = nullptr; // the storage's entry
  uint64_t begin = 0;              // byte offset of the tensor within the entry
  uint64_t bytes = 0;
};

class TorchBinFile {
public:
  // Reads the directory and the pickle; checks every tensor lies inside its
  // storage entry. Throws InputError naming the file.
  explicit TorchBinFile(const std::filesystem::path& path);
  TorchBinFile(const TorchBinFile&) = delete; // tensors point into the archive's entries
  TorchBinFile(TorchBinFile&&) = default;
  const std::vector<TorchBinTensor>& tensors() const { return m_tensors; }
  // Reads a tensor's raw little-endian bytes (t.bytes into dst). When the
  // tensor is its whole storage, the entry's CRC-32 is checked as well.
  void read(const TorchBinTensor& t, void* dst) const;
  // Where the tensor's bytes lie in the file (for import without copying).
  uint64_t fileOffset(const TorchBinTensor& t) const { return t.entry->dataOffset + t.begin; }
  const std::string& path() const { return m_zip.file(); }

private:
  ZipArchive m_zip;
  std::vector<TorchBinTensor> m_tensors;
};

} // namespace chrysalis::format
