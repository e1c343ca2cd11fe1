#include "format/checkpoint_file.h"

#include "common/error.h"
#include "format/atomic_file.h"
#include "format/h5.h"
#include "format/tensor_index.h"

#include <xxhash.h>
#if defined(__x86_64__) && __has_include(<xxh_x86dispatch.h>)
// libxxhash's run-time dispatch picks AVX2/AVX-512 code where the CPU has it
// (its plain entry points are built for baseline x86-64): ~1.6x faster here.
#include <xxh_x86dispatch.h>
#define CHRYSALIS_XXH3_64(data, bytes) XXH3_64bits_dispatch(data, bytes)
#define CHRYSALIS_XXH3_UPDATE(state, data, bytes) XXH3_64bits_update_dispatch(state, data, bytes)
#else
#define CHRYSALIS_XXH3_64(data, bytes) XXH3_64bits(data, bytes)
#define CHRYSALIS_XXH3_UPDATE(state, data, bytes) XXH3_64bits_update(state, data, bytes)
#endif

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <set>
#include <thread>

namespace fs = std::filesystem;

namespace chrysalis::format {

namespace {
// Root attributes with a fixed meaning; all other numeric ones go to `extra`.
const std::set<std::string> kKnownAttrs{"format_version", "step",          "tokens_seen",
                                        "wall_time",      "learning_rate", "train_loss"};

std::string tensorPath(const std::string& name) {
  return std::string(kTensorGroup) + "/" + name;
}

std::string hexOf(uint64_t hash) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return hex;
}

void requireMatch(const std::string& file, const TensorEntry& entry, const std::string& stored,
                  const std::string& actual) {
  if (stored == actual) return;
  if (!entry.linkedSource.empty())
    throw InputError(entry.linkedSource, "tensor '" + entry.name + "'",
                     "changed since it was imported with --link into " + file + " (checksum " +
                         actual + ", imported " + stored + ")");
  throw InputError(file, "tensor '" + entry.name + "'",
                   "checksum mismatch (stored " + stored + ", data " + actual +
                       "): the tensor data is damaged");
}
} // namespace

int64_t TensorEntry::elementCount() const {
  int64_t n = 1;
  for (auto d : shape)
    n *= d;
  return n;
}

CheckpointReader::CheckpointReader(const fs::path& path, ReadExtras extras)
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
  if (extras == ReadExtras::Yes)
    for (const auto& name : h5::listAttrs(f, "/")) {
      if (kKnownAttrs.count(name) || !h5::isNumericScalarAttr(f, "/", name)) continue;
      m_info.extra[name] = h5::readAttrDouble(f, "/", name);
    }
  m_info.hasWeights = h5::exists(f, kTensorGroup);
}

void CheckpointReader::readIndex() const {
  if (m_indexLooked) return;
  const h5::File& f = *m_file;
  if (!m_info.hasWeights || !h5::exists(f, kTensorIndex)) {
    m_indexLooked = true;
    return;
  }
  const std::string place = std::string("dataset '") + kTensorIndex + "'";
  const h5::DatasetLookup found = h5::lookupDataset(f, kTensorIndex, kChecksumAttr);
  const uint64_t bytes = static_cast<uint64_t>(found.info.elementCount());
  if (found.info.dtype != DType::U8 || found.info.shape.size() != 1 || !found.offset ||
      !found.attr || bytes > kMaxTensorIndexBytes)
    throw InputError(f.path, place, "not a checksummed uint8 array of at most 16 MiB");
  std::string text(bytes, '\0');
  f.input->readAt(*found.offset, text.data(), text.size(), place);
  const std::string actual = tensorChecksum(text.data(), text.size());
  if (actual != *found.attr)
    throw InputError(f.path, place,
                     "checksum mismatch (stored " + *found.attr + ", data " + actual +
                         "): the tensor index is damaged");
  auto index = decodeTensorIndex(text, f.input->size(), f.path);
  std::vector<std::string> names;
  for (const auto& t : index)
    names.push_back(t.entry.name);
  std::sort(names.begin(), names.end()); // as HDF5 lists a group: byte order
  m_indexLooked = true;
  // Tensors added or deleted since (another tool edited the file): the index
  // is stale, and HDF5 is asked about each tensor instead. (Comparing the
  // names themselves would walk the group, which HDF5 1.10 can crash on in a
  // damaged file: HostileFiles.FlippedBytesNeverCrashOrHang.)
  if (names.size() != h5::groupSize(f, kTensorGroup)) return;
  for (auto& t : index) {
    m_placements[t.entry.name] = {t.offset, t.checksum, t.nonFinite};
    m_entries.emplace(t.entry.name, std::move(t.entry));
  }
  m_indexedNames = std::move(names);
  m_indexed = true;
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
  readIndex();
  for (const auto& name : m_indexed ? m_indexedNames : h5::listGroup(*m_file, kTensorGroup))
    out.push_back(tensor(name));
  return out;
}

bool CheckpointReader::hasTensor(const std::string& name) const {
  readIndex();
  if (m_indexed) return m_entries.count(name) > 0;
  return m_info.hasWeights && h5::exists(*m_file, tensorPath(name));
}

TensorEntry CheckpointReader::tensor(const std::string& name) const {
  readIndex();
  auto it = m_entries.find(name);
  if (it != m_entries.end()) return it->second;
  if (m_indexed || !hasTensor(name))
    throw InputError(m_file->path, "tensor '" + name + "'",
                     m_info.hasWeights ? "missing" : "this checkpoint has no weights");
  h5::DatasetLookup found = h5::lookupDataset(*m_file, tensorPath(name), kChecksumAttr);
  TensorEntry e{name, found.info.dtype, found.info.shape, found.info.externalFile};
  m_placements[name] = {found.offset, found.attr.value_or(std::string()), std::nullopt};
  return m_entries.emplace(name, e).first->second;
}

void CheckpointReader::readUnverified(const TensorEntry& entry, void* dst, size_t dstBytes) const {
  h5::DatasetInfo di = h5::datasetInfo(*m_file, tensorPath(entry.name));
  if (di.shape != entry.shape || di.dtype != entry.dtype)
    throw InputError(m_file->path, "tensor '" + entry.name + "'", "changed while reading");
  h5::readDatasetRaw(*m_file, tensorPath(entry.name), di, dst, dstBytes);
}

std::string CheckpointReader::storedChecksum(const TensorEntry& entry) const {
  return storedChecksum(entry.name);
}

std::string CheckpointReader::storedChecksum(const std::string& name) const {
  // Files written by Chrysalis carry a checksum per tensor; others (h5py) may
  // not (""). Looked up with the tensor's entry.
  (void)tensor(name);
  return m_placements.at(name).checksum;
}

void CheckpointReader::verify(const TensorEntry& entry, const std::string& stored, const void* data,
                              size_t bytes) const {
  if (stored.empty()) return;
  requireMatch(m_file->path, entry, stored, tensorChecksum(data, bytes));
}

void CheckpointReader::read(const TensorEntry& entry, void* dst, size_t dstBytes) const {
  const std::string stored = storedChecksum(entry);
  readUnverified(entry, dst, dstBytes);
  verify(entry, stored, dst, dstBytes);
}

namespace {
// Bytes per streamed block: well inside a core's L2 cache, so the hash and the
// finiteness count read what the copy just wrote without going to memory.
constexpr size_t kStreamBlock = 256 * 1024;

// Counts elements whose exponent bits are all ones (NaN or infinity).
template <class Bits> int64_t countAllOnesExponent(const void* data, size_t n, Bits mask) {
  const auto* p = static_cast<const Bits*>(data);
  int64_t bad = 0;
  for (size_t i = 0; i < n; ++i)
    bad += (p[i] & mask) == mask;
  return bad;
}

// One tensor to stream: where its bytes are and what they must hash to.
struct StreamJob {
  TensorRead* read;
  uint64_t offset;
  std::string stored;
  std::optional<int64_t> nonFinite; // known from the tensor index: not counted again
};

void streamOne(const InputFile& input, const StreamJob& job, const std::string& place,
               XXH3_state_t* state) {
  auto* dst = static_cast<char*>(job.read->dst);
  const size_t bytes = job.read->entry.byteSize();
  XXH3_64bits_reset(state);
  int64_t bad = 0;
  for (size_t done = 0; done < bytes;) {
    const size_t n = std::min(kStreamBlock, bytes - done);
    input.readAt(job.offset + done, dst + done, n, place);
    if (!job.stored.empty()) CHRYSALIS_XXH3_UPDATE(state, dst + done, n);
    if (!job.nonFinite) bad += countNonFinite(job.read->entry.dtype, dst + done, n);
    done += n;
  }
  job.read->nonFinite = job.nonFinite.value_or(bad);
}
} // namespace

int64_t countNonFinite(DType dtype, const void* data, size_t bytes) {
  switch (dtype) {
  case DType::F32:
    return countAllOnesExponent<uint32_t>(data, bytes / 4, 0x7f800000u);
  case DType::F16:
    return countAllOnesExponent<uint16_t>(data, bytes / 2, uint16_t{0x7c00});
  case DType::BF16:
    return countAllOnesExponent<uint16_t>(data, bytes / 2, uint16_t{0x7f80});
  case DType::F64:
    return countAllOnesExponent<uint64_t>(data, bytes / 8, 0x7ff0000000000000ull);
  default:
    return 0;
  }
}

void CheckpointReader::readMany(std::vector<TensorRead>& reads, unsigned threads) const {
  // HDF5 is not thread-safe: every lookup happens here, before any thread starts.
  std::vector<StreamJob> jobs;
  for (auto& r : reads) {
    const TensorEntry known = tensor(r.entry.name);
    if (known.shape != r.entry.shape || known.dtype != r.entry.dtype)
      throw InputError(m_file->path, "tensor '" + r.entry.name + "'",
                       "shape or dtype differs from its entry");
    h5::DatasetInfo di;
    di.shape = known.shape;
    di.dtype = known.dtype;
    di.externalFile = known.linkedSource;
    const Placement& placed = m_placements.at(r.entry.name); // set by tensor() above
    const std::string& stored = placed.checksum;
    if (placed.offset) {
      jobs.push_back({&r, *placed.offset, stored, placed.nonFinite});
      continue;
    }
    // Chunked, filtered or linked storage: HDF5 reads it, then it is checked.
    h5::readDatasetRaw(*m_file, tensorPath(r.entry.name), di, r.dst, r.entry.byteSize());
    verify(r.entry, stored, r.dst, r.entry.byteSize());
    r.nonFinite = countNonFinite(r.entry.dtype, r.dst, r.entry.byteSize());
  }
  if (jobs.empty()) return;

  // Largest first, each to the least loaded thread.
  if (threads == 0) threads = std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
  threads = std::min<unsigned>(threads, static_cast<unsigned>(jobs.size()));
  std::sort(jobs.begin(), jobs.end(), [](const StreamJob& a, const StreamJob& b) {
    return a.read->entry.byteSize() > b.read->entry.byteSize();
  });
  std::vector<std::vector<const StreamJob*>> lanes(threads);
  std::vector<size_t> load(threads, 0);
  for (const auto& job : jobs) {
    const auto i = static_cast<size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    lanes[i].push_back(&job);
    load[i] += job.read->entry.byteSize();
  }

  const InputFile& input = *m_file->input;
  std::vector<std::exception_ptr> errors(threads);
  auto runLane = [&](size_t lane) {
    XXH3_state_t* state = XXH3_createState();
    try {
      if (!state) throw std::bad_alloc();
      for (const StreamJob* job : lanes[lane]) {
        streamOne(input, *job, "tensor '" + job->read->entry.name + "'", state);
        if (!job->stored.empty())
          requireMatch(m_file->path, job->read->entry, job->stored,
                       hexOf(XXH3_64bits_digest(state)));
      }
    } catch (...) {
      errors[lane] = std::current_exception();
    }
    XXH3_freeState(state);
  };
  std::vector<std::thread> pool;
  for (size_t lane = 1; lane < threads; ++lane)
    pool.emplace_back(runLane, lane);
  runLane(0);
  for (auto& t : pool)
    t.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
}

std::string tensorChecksum(const void* data, size_t bytes) {
  return hexOf(CHRYSALIS_XXH3_64(data, bytes));
}

namespace {
// The tensor index, written last, when every tensor is one range of this file.
void writeIndex(const h5::File& f, const std::vector<TensorBlob>& tensors) {
  std::vector<IndexedTensor> index;
  for (const TensorBlob& t : tensors) {
    IndexedTensor e;
    e.entry = {t.name, t.dtype, t.shape, {}};
    const size_t bytes = e.entry.byteSize();
    const auto offset = h5::lookupDataset(f, tensorPath(t.name), "").offset;
    if (bytes > 0 && !offset) return; // not contiguous: readers use HDF5 for every tensor
    e.offset = offset.value_or(0);
    e.checksum = tensorChecksum(t.data, bytes);
    e.nonFinite = countNonFinite(t.dtype, t.data, bytes);
    index.push_back(std::move(e));
  }
  const std::string text = encodeTensorIndex(index);
  h5::writeDatasetRaw(f, kTensorIndex, DType::U8, {static_cast<int64_t>(text.size())}, text.data());
  h5::writeAttrString(f, kTensorIndex, kChecksumAttr, tensorChecksum(text.data(), text.size()));
}
} // namespace

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
      if (links.empty()) writeIndex(f, tensors);
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
