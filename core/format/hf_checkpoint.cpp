#include "format/hf_checkpoint.h"

#include "common/error.h"
#include "common/json_bounded.h"
#include "format/atomic_file.h"
#include "format/bert_config.h"
#include "format/safetensors.h"
#include "format/torch_bin.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <variant>

namespace fs = std::filesystem;

namespace chrysalis::format {

namespace {
constexpr size_t kMaxIndexBytes = 64 << 20;
const std::string kDecoderBias = "cls.predictions.decoder.bias";

bool endsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

bool present(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p, ec);
}
} // namespace

std::optional<std::string> canonicalBertName(const std::string& stored) {
  std::string name = stored;
  if (endsWith(name, "LayerNorm.gamma")) name.replace(name.size() - 5, 5, "weight");
  if (endsWith(name, "LayerNorm.beta")) name.replace(name.size() - 4, 4, "bias");
  for (const char* part : {"embeddings.", "encoder.", "pooler."})
    if (name.rfind(part, 0) == 0) name = "bert." + name;
  if (isAliasOrIgnorable(name)) return std::nullopt;
  return name;
}

struct HfCheckpoint::Shards {
  using Shard = std::variant<std::unique_ptr<SafetensorsFile>, std::unique_ptr<TorchBinFile>>;
  std::vector<Shard> files;
  // Per tensor, the shard's own handle.
  std::vector<std::variant<SafetensorsEntry, const TorchBinTensor*>> handles;
};

HfCheckpoint::~HfCheckpoint() = default;
HfCheckpoint::HfCheckpoint(HfCheckpoint&&) noexcept = default;

HfCheckpoint::HfCheckpoint(const fs::path& dir) : m_dir(dir), m_shards(std::make_unique<Shards>()) {
  // Which stored names each shard file should supply (empty: all of them).
  std::vector<std::pair<fs::path, std::vector<std::string>>> plan;
  bool safetensors = true;
  auto fromIndex = [&](const fs::path& index) {
    const auto j = parseJsonBounded(readSmallFile(index, kMaxIndexBytes), index.string());
    if (!j.is_object() || !j.contains("weight_map") || !j["weight_map"].is_object())
      throw InputError(index.string(), "weight_map", "missing or not an object");
    std::map<std::string, size_t> shardOf;
    for (auto it = j["weight_map"].begin(); it != j["weight_map"].end(); ++it) {
      if (!it.value().is_string())
        throw InputError(index.string(), "weight_map '" + it.key() + "'", "not a file name");
      const std::string shard = it.value().get<std::string>();
      if (shard.empty() || shard.find('/') != std::string::npos ||
          shard.find('\\') != std::string::npos || shard == "." || shard == "..")
        throw InputError(index.string(), "weight_map '" + it.key() + "'",
                         "shard '" + shard + "' is not a file in this folder");
      auto [pos, added] = shardOf.emplace(shard, plan.size());
      if (added) {
        if (!present(dir / shard))
          throw InputError(index.string(), "weight_map '" + it.key() + "'",
                           "shard '" + shard + "' is missing");
        plan.push_back({dir / shard, {}});
      }
      plan[pos->second].second.push_back(it.key());
    }
    if (plan.empty()) throw InputError(index.string(), "weight_map", "empty");
    m_layout = index.filename().string() + " (" + std::to_string(plan.size()) + " shards)";
  };
  if (present(dir / "model.safetensors")) {
    plan.push_back({dir / "model.safetensors", {}});
    m_layout = "model.safetensors";
  } else if (present(dir / "model.safetensors.index.json")) {
    fromIndex(dir / "model.safetensors.index.json");
  } else if (present(dir / "pytorch_model.bin")) {
    safetensors = false;
    plan.push_back({dir / "pytorch_model.bin", {}});
    m_layout = "pytorch_model.bin";
  } else if (present(dir / "pytorch_model.bin.index.json")) {
    safetensors = false;
    fromIndex(dir / "pytorch_model.bin.index.json");
  } else {
    throw InputError(dir.string(), "",
                     "no weights: expected model.safetensors, pytorch_model.bin, or an "
                     "index of shards (model.safetensors.index.json, "
                     "pytorch_model.bin.index.json)");
  }

  std::map<std::string, size_t> byName; // canonical -> index in m_tensors
  auto add = [&](HfTensor t, std::variant<SafetensorsEntry, const TorchBinTensor*> handle) {
    auto canonical = canonicalBertName(t.storedName);
    const std::string file = m_files[t.file].string();
    if (!canonical) {
      if (t.storedName != kDecoderBias) {
        m_ignored.push_back(t.storedName);
        return;
      }
      canonical = "cls.predictions.bias"; // the same tensor under its decoder's name
      if (byName.count(*canonical)) return;
    }
    t.name = *canonical;
    if (auto it = byName.find(t.name); it != byName.end()) {
      if (m_tensors[it->second].storedName != kDecoderBias)
        throw InputError(file, "tensor '" + t.storedName + "'",
                         "means the same as '" + m_tensors[it->second].storedName + "'");
      m_tensors[it->second] = std::move(t); // the bias's own name wins over the alias
      m_shards->handles[it->second] = std::move(handle);
      return;
    }
    byName[t.name] = m_tensors.size();
    m_tensors.push_back(std::move(t));
    m_shards->handles.push_back(std::move(handle));
  };

  for (const auto& planned : plan) {
    const fs::path& path = planned.first;
    const std::vector<std::string>& wanted = planned.second;
    const size_t fileIndex = m_files.size();
    m_files.push_back(path);
    auto want = [&wanted](const std::string& n) {
      return wanted.empty() || std::find(wanted.begin(), wanted.end(), n) != wanted.end();
    };
    auto missing = [&](auto&& has) {
      for (const auto& n : wanted)
        if (!has(n))
          throw InputError(path.string(), "tensor '" + n + "'",
                           "listed in the index but not in this shard");
    };
    if (safetensors) {
      auto st = std::make_unique<SafetensorsFile>(path);
      missing([&](const std::string& n) { return st->header().find(n) != nullptr; });
      for (const auto& e : st->header().tensors) {
        if (!want(e.name)) continue;
        HfTensor t;
        t.storedName = e.name;
        t.dtype = e.dtype;
        t.shape = e.shape;
        t.file = fileIndex;
        t.fileOffset = st->header().dataOffset + e.begin;
        t.bytes = e.end - e.begin;
        add(std::move(t), e);
      }
      m_shards->files.emplace_back(std::move(st));
    } else {
      auto bin = std::make_unique<TorchBinFile>(path);
      missing([&](const std::string& n) {
        for (const auto& t : bin->tensors())
          if (t.ref.name == n) return true;
        return false;
      });
      for (const auto& b : bin->tensors()) {
        if (!want(b.ref.name)) continue;
        HfTensor t;
        t.storedName = b.ref.name;
        t.dtype = b.ref.dtype;
        t.shape = b.ref.shape;
        t.file = fileIndex;
        t.fileOffset = bin->fileOffset(b);
        t.bytes = b.bytes;
        add(std::move(t), &b);
      }
      m_shards->files.emplace_back(std::move(bin));
    }
  }
}

const HfTensor* HfCheckpoint::find(const std::string& name) const {
  for (const auto& t : m_tensors)
    if (t.name == name) return &t;
  return nullptr;
}

void HfCheckpoint::read(const HfTensor& t, void* dst) const {
  const size_t i = static_cast<size_t>(&t - m_tensors.data());
  if (i >= m_tensors.size()) throw std::logic_error("HfCheckpoint::read: foreign tensor");
  const auto& shard = m_shards->files[t.file];
  const auto& handle = m_shards->handles[i];
  if (std::holds_alternative<SafetensorsEntry>(handle))
    std::get<0>(shard)->read(std::get<SafetensorsEntry>(handle), dst);
  else
    std::get<1>(shard)->read(*std::get<const TorchBinTensor*>(handle), dst);
}

} // namespace chrysalis::format
