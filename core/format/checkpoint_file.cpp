#include "format/checkpoint_file.h"

#include "common/error.h"
#include "format/atomic_file.h"
#include "format/h5.h"

#include <xxhash.h>

#include <cmath>
#include <cstdio>
#include <set>

namespace fs = std::filesystem;

namespace chrysalis::format {

namespace {
// Root attributes with a fixed meaning; all other numeric ones go to `extra`.
const std::set<std::string> kKnownAttrs{"format_version", "step",          "tokens_seen",
                                        "wall_time",      "learning_rate", "train_loss"};

std::string tensorPath(const std::string& name) {
  return std::string(kTensorGroup) + "/" + name;
}
} // namespace

int64_t TensorEntry::elementCount() const {
  int64_t n = 1;
  for (auto d : shape)
    n *= d;
  return n;
}

CheckpointReader::CheckpointReader(const fs::path& path)
    : m_file(std::make_unique<h5::File>(h5::openRead(path))) {
  const h5::File& f = *m_file;
  if (!h5::hasAttr(f, "/", "step"))
    throw InputError(f.path, "attribute 'step'", "missing: not a Chrysalis checkpoint");
  if (h5::hasAttr(f, "/", "format_version")) {
    int64_t v = h5::readAttrInt(f, "/", "format_version");
    if (v < 1 || v > kFormatVersion)
      throw InputError(f.path, "attribute 'format_version'",
                       "version " + std::to_string(v) + " is newer than this Chrysalis reads (" +
                           std::to_string(kFormatVersion) + ")");
  }
  m_info.path = path;
  m_info.step = h5::readAttrInt(f, "/", "step");
  if (m_info.step < 0) throw InputError(f.path, "attribute 'step'", "negative step");
  if (h5::hasAttr(f, "/", "tokens_seen"))
    m_info.tokensSeen = h5::readAttrInt(f, "/", "tokens_seen");
  if (h5::hasAttr(f, "/", "wall_time")) m_info.wallTime = h5::readAttrDouble(f, "/", "wall_time");
  if (h5::hasAttr(f, "/", "learning_rate"))
    m_info.learningRate = h5::readAttrDouble(f, "/", "learning_rate");
  if (h5::hasAttr(f, "/", "train_loss")) {
    double loss = h5::readAttrDouble(f, "/", "train_loss");
    if (!std::isnan(loss)) m_info.trainLoss = loss;
  }
  for (const auto& name : h5::listAttrs(f, "/")) {
    if (kKnownAttrs.count(name) || !h5::isNumericScalarAttr(f, "/", name)) continue;
    m_info.extra[name] = h5::readAttrDouble(f, "/", name);
  }
  m_info.hasWeights = h5::exists(f, kTensorGroup);
}

CheckpointReader::~CheckpointReader() = default;
CheckpointReader::CheckpointReader(CheckpointReader&&) noexcept = default;
CheckpointReader& CheckpointReader::operator=(CheckpointReader&&) noexcept = default;

const std::string& CheckpointReader::path() const {
  return m_file->path;
}

std::vector<TensorEntry> CheckpointReader::tensors() const {
  std::vector<TensorEntry> out;
  if (!m_info.hasWeights) return out;
  for (const auto& name : h5::listGroup(*m_file, kTensorGroup))
    out.push_back(tensor(name));
  return out;
}

bool CheckpointReader::hasTensor(const std::string& name) const {
  return m_info.hasWeights && h5::exists(*m_file, tensorPath(name));
}

TensorEntry CheckpointReader::tensor(const std::string& name) const {
  if (!hasTensor(name))
    throw InputError(m_file->path, "tensor '" + name + "'",
                     m_info.hasWeights ? "missing" : "this checkpoint has no weights");
  h5::DatasetInfo di = h5::datasetInfo(*m_file, tensorPath(name));
  return TensorEntry{name, di.dtype, di.shape, di.externalFile};
}

void CheckpointReader::readUnverified(const TensorEntry& entry, void* dst, size_t dstBytes) const {
  h5::DatasetInfo di = h5::datasetInfo(*m_file, tensorPath(entry.name));
  if (di.shape != entry.shape || di.dtype != entry.dtype)
    throw InputError(m_file->path, "tensor '" + entry.name + "'", "changed while reading");
  h5::readDatasetRaw(*m_file, tensorPath(entry.name), di, dst, dstBytes);
}

std::string CheckpointReader::storedChecksum(const TensorEntry& entry) const {
  // Files written by Chrysalis carry a checksum per tensor; others (h5py) may not.
  if (!h5::hasAttr(*m_file, tensorPath(entry.name), kChecksumAttr)) return {};
  return h5::readAttrString(*m_file, tensorPath(entry.name), kChecksumAttr);
}

void CheckpointReader::verify(const TensorEntry& entry, const std::string& stored, const void* data,
                              size_t bytes) const {
  if (stored.empty()) return;
  const std::string actual = tensorChecksum(data, bytes);
  if (stored != actual && !entry.linkedSource.empty())
    throw InputError(entry.linkedSource, "tensor '" + entry.name + "'",
                     "changed since it was imported with --link into " + m_file->path +
                         " (checksum " + actual + ", imported " + stored + ")");
  if (stored != actual)
    throw InputError(m_file->path, "tensor '" + entry.name + "'",
                     "checksum mismatch (stored " + stored + ", data " + actual +
                         "): the tensor data is damaged");
}

void CheckpointReader::read(const TensorEntry& entry, void* dst, size_t dstBytes) const {
  const std::string stored = storedChecksum(entry);
  readUnverified(entry, dst, dstBytes);
  verify(entry, stored, dst, dstBytes);
}

std::string tensorChecksum(const void* data, size_t bytes) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(XXH3_64bits(data, bytes)));
  return hex;
}

void writeCheckpoint(const fs::path& finalPath, const CheckpointInfo& info,
                     const std::vector<TensorBlob>& tensors, const std::vector<TensorLink>& links) {
  if (!links.empty() && links.size() != tensors.size())
    throw std::invalid_argument("writeCheckpoint: one link per tensor");
  publishAtomically(finalPath, [&](const fs::path& temp) {
    h5::File f = h5::create(temp);
    h5::writeAttrInt(f, "/", "format_version", kFormatVersion);
    h5::writeAttrInt(f, "/", "step", info.step);
    h5::writeAttrInt(f, "/", "tokens_seen", info.tokensSeen);
    h5::writeAttrDouble(f, "/", "wall_time", info.wallTime);
    h5::writeAttrDouble(f, "/", "learning_rate", info.learningRate);
    if (info.trainLoss) h5::writeAttrDouble(f, "/", "train_loss", *info.trainLoss);
    for (const auto& [k, v] : info.extra)
      h5::writeAttrDouble(f, "/", k, v);
    if (!tensors.empty()) {
      h5::createGroup(f, kTensorGroup);
      for (size_t k = 0; k < tensors.size(); ++k) {
        const TensorBlob& t = tensors[k];
        if (links.empty())
          h5::writeDatasetRaw(f, tensorPath(t.name), t.dtype, t.shape, t.data);
        else
          h5::writeDatasetExternal(f, tensorPath(t.name), t.dtype, t.shape, links[k].source,
                                   links[k].offset);
        const size_t bytes = TensorEntry{t.name, t.dtype, t.shape, {}}.byteSize();
        h5::writeAttrString(f, tensorPath(t.name), kChecksumAttr, tensorChecksum(t.data, bytes));
      }
    }
    h5::flush(f);
  });
}

std::string checkpointFileName(int64_t step) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "step-%010lld.h5", static_cast<long long>(step));
  return buf;
}

namespace {
// The step of any "step-<1 to 18 digits>.h5", canonical or not.
std::optional<int64_t> stepOfAnyStepName(const std::string& name) {
  if (name.size() < 9 || name.rfind("step-", 0) != 0 || name.substr(name.size() - 3) != ".h5")
    return std::nullopt;
  std::string digits = name.substr(5, name.size() - 8);
  if (digits.empty() || digits.size() > 18) return std::nullopt;
  for (char c : digits)
    if (c < '0' || c > '9') return std::nullopt;
  return std::stoll(digits);
}
} // namespace

std::optional<int64_t> stepFromFileName(const std::string& name) {
  const auto step = stepOfAnyStepName(name);
  if (!step || checkpointFileName(*step) != name) return std::nullopt;
  return step;
}

bool isNonCanonicalStepName(const std::string& name) {
  return stepOfAnyStepName(name) && !stepFromFileName(name);
}

} // namespace chrysalis::format
