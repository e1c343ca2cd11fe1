#pragma once
// One Hugging Face checkpoint folder, whatever its weight files: a single
// model.safetensors or pytorch_model.bin, or shards listed by
// model.safetensors.index.json / pytorch_model.bin.index.json. Tensor names
// are mapped to BertForMaskedLM's (see canonicalBertName).
#include "format/dtype.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace chrysalis::format {

// The BertForMaskedLM name a checkpoint's tensor stands for: BertModel
// checkpoints lack the "bert." prefix, old ones name LayerNorm parameters
// gamma/beta. nullopt for tensors Chrysalis does not use (pooler, the
// next-sentence head, position_ids, the tied decoder weight).
std::optional<std::string> canonicalBertName(const std::string& name);

struct HfTensor {
  std::string name;       // canonical
  std::string storedName; // as in the file
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  size_t file = 0;         // index into HfCheckpoint::files()
  uint64_t fileOffset = 0; // where its raw bytes start in that file
  uint64_t bytes = 0;
};

class HfCheckpoint {
public:
  // Finds the weight files in `dir` and reads their headers (no tensor data).
  // Throws InputError naming the file for a missing or malformed one.
  explicit HfCheckpoint(const std::filesystem::path& dir);
  ~HfCheckpoint();
  HfCheckpoint(HfCheckpoint&&) noexcept;

  const std::filesystem::path& dir() const { return m_dir; }
  // "model.safetensors", "pytorch_model.bin (3 shards)", ...
  const std::string& layout() const { return m_layout; }
  const std::vector<std::filesystem::path>& files() const { return m_files; }
  const HfTensor* find(const std::string& canonicalName) const;
  // Stored names that mean nothing to Chrysalis (pooler, NSP head, ...).
  const std::vector<std::string>& ignored() const { return m_ignored; }
  // Reads a tensor's raw little-endian bytes (t.bytes into dst).
  void read(const HfTensor& t, void* dst) const;

private:
  struct Shards;
  std::filesystem::path m_dir;
  std::string m_layout;
  std::vector<std::filesystem::path> m_files;
  std::vector<HfTensor> m_tensors;
  std::vector<std::string> m_ignored;
  std::unique_ptr<Shards> m_shards;
};

} // namespace chrysalis::format
