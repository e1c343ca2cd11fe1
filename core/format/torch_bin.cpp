#include "format/torch_bin.h"

#include "common/error.h"

namespace chrysalis::format {

namespace {
constexpr uint64_t kMaxPickleBytes = 256ull << 20;
}

TorchBinFile::TorchBinFile(const std::filesystem::path& path)
    : m_zip(ZipArchive::open(path.string())) {
  const ZipEntry* pickle = nullptr;
  std::string root;
  for (const auto& e : m_zip.entries()) {
    const auto slash = e.name.find('/');
    if (slash != std::string::npos && e.name.substr(slash) == "/data.pkl") {
      if (pickle) throw InputError(path.string(), "", "two data.pkl entries");
      pickle = &e;
      root = e.name.substr(0, slash);
    }
  }
  if (!pickle) throw InputError(path.string(), "", "no data.pkl: not a torch.save archive");
  if (const auto* order = m_zip.find(root + "/byteorder")) {
    if (m_zip.readAll(*order, 16) != "little")
      throw InputError(path.string(), "byteorder", "big-endian tensors are not supported");
  }
  for (auto& ref : parseTorchStateDict(m_zip.readAll(*pickle, kMaxPickleBytes), path.string())) {
    const ZipEntry* e = m_zip.find(root + "/data/" + ref.storageKey);
    const std::string place = "tensor '" + ref.name + "'";
    if (!e) throw InputError(path.string(), place, "storage " + ref.storageKey + " missing");
    const uint64_t element = dtypeSize(ref.dtype);
    if (ref.storageNumel > e->size / element)
      throw InputError(path.string(), place,
                       "storage " + ref.storageKey + " is shorter than its declared size");
    TorchBinTensor t;
    t.entry = e;
    t.begin = ref.offset * element;
    t.bytes = ref.elementCount() * element;
    t.ref = std::move(ref);
    m_tensors.push_back(std::move(t));
  }
}

void TorchBinFile::read(const TorchBinTensor& t, void* dst) const {
  m_zip.read(*t.entry, t.begin, dst, t.bytes);
  if (t.begin == 0 && t.bytes == t.entry->size) m_zip.checkCrc(*t.entry, dst, t.bytes);
}

} // namespace chrysalis::format
