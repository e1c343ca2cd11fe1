#include "format/h5.h"

#include "common/error.h"
#include "format/h5_checks.h"

#include <hdf5.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <sys/stat.h>

namespace chrysalis::h5 {

namespace {

constexpr size_t kMaxAttrStringBytes = 1 << 20;
constexpr uint64_t kMaxStringBytes = uint64_t{1} << 31; // one string list, all its bytes
constexpr int kMaxRank = 8;

// Silence HDF5's automatic error printing once, before the first call.
// Also keep HDF5 from closing files at process exit: after a failed write
// (disk full) HDF5 1.10 keeps the file half-closed and its exit handler
// crashes on it; every file we write is closed by its Handle anyway.
struct SilenceHdf5 {
  SilenceHdf5() {
    static const bool noExitHandler = (H5dont_atexit(), true);
    (void)noExitHandler;
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
};
// thread_local: thread-safe HDF5 builds keep the error-printing setting per thread.
void silence() {
  thread_local SilenceHdf5 once;
}

[[noreturn]] void fail(const std::string& file, const std::string& place, const std::string& why) {
  throw InputError(file, place, why);
}

// A failed HDF5 write, with the system's reason when it gave one (errno is
// cleared before the call): "write failed: No space left on device".
[[noreturn]] void failWrite(const std::string& file, const std::string& place) {
  const int err = errno;
  fail(file, place,
       err ? std::string("write failed: ") + std::strerror(err) : std::string("write failed"));
}

Handle check(hid_t id, Handle::Kind kind, const std::string& file, const std::string& place,
             const char* what) {
  if (id < 0) fail(file, place, what);
  return Handle(id, kind);
}

// Opens a dataset that is stored wholly inside this file and written
// (h5_checks.h); every read of numbers or strings starts here.
Handle openDataset(const File& f, const std::string& name, const std::string& place) {
  if (!exists(f, name)) fail(f.path, place, "missing");
  Handle ds = check(H5Dopen2(f.handle.id(), name.c_str(), H5P_DEFAULT), Handle::Kind::Dataset,
                    f.path, place, "cannot be opened");
  Handle space =
      check(H5Dget_space(ds.id()), Handle::Kind::Dataspace, f.path, place, "has no dataspace");
  Handle type =
      check(H5Dget_type(ds.id()), Handle::Kind::Datatype, f.path, place, "has no datatype");
  const hssize_t points = H5Sget_simple_extent_npoints(space.id());
  if (points < 0) fail(f.path, place, "unreadable dataspace");
  const auto elementBytes = static_cast<uint64_t>(H5Tget_size(type.id()));
  const auto count = static_cast<uint64_t>(points);
  // Saturate: a declared size past 2^64 is refused as too large all the same.
  const uint64_t declared =
      elementBytes != 0 && count > UINT64_MAX / elementBytes ? UINT64_MAX : count * elementBytes;
  checks::requireStoredInFile(ds.id(), f.path, place, declared);
  return ds;
}

// IEEE half precision, which HDF5 1.10 has no predefined type for.
hid_t halfType() {
  static hid_t t = [] {
    hid_t h = H5Tcopy(H5T_IEEE_F32LE);
    H5Tset_fields(h, 15, 10, 5, 0, 10);
    H5Tset_size(h, 2);
    H5Tset_ebias(h, 15);
    H5Tset_precision(h, 16);
    H5Tset_offset(h, 0);
    return h;
  }();
  return t;
}

hid_t fileTypeFor(format::DType t) {
  switch (t) {
  case format::DType::F32:
    return H5T_IEEE_F32LE;
  case format::DType::F64:
    return H5T_IEEE_F64LE;
  case format::DType::F16:
    return halfType();
  case format::DType::BF16:
    return H5T_STD_U16LE;
  case format::DType::I64:
    return H5T_STD_I64LE;
  case format::DType::I32:
    return H5T_STD_I32LE;
  case format::DType::I16:
    return H5T_STD_I16LE;
  case format::DType::I8:
    return H5T_STD_I8LE;
  case format::DType::U8:
    return H5T_STD_U8LE;
  case format::DType::Bool:
    return H5T_STD_U8LE;
  }
  return H5T_IEEE_F32LE;
}

Handle openObjectForAttrs(const File& f, const std::string& objectName) {
  checks::requireInternalPath(f.handle.id(), f.path, objectName, f.knownLinks.get());
  hid_t id = H5Oopen(f.handle.id(), objectName.c_str(), H5P_DEFAULT);
  if (id < 0) fail(f.path, objectName, "no such object");
  // H5Oopen may give a group or a dataset; H5Oclose closes either.
  return Handle(id, Handle::Kind::Group);
}

Handle openAttr(const File& f, const std::string& objectName, const std::string& attr) {
  if (!hasAttr(f, objectName, attr)) fail(f.path, "attribute '" + attr + "'", "missing");
  hid_t id =
      H5Aopen_by_name(f.handle.id(), objectName.c_str(), attr.c_str(), H5P_DEFAULT, H5P_DEFAULT);
  return check(id, Handle::Kind::Attribute, f.path, "attribute '" + attr + "'", "cannot be read");
}

// A scalar or one-element attribute: hostile files may give any shape.
void requireSingleElement(const File& f, const std::string& attr, hid_t a) {
  Handle space(H5Aget_space(a), Handle::Kind::Dataspace);
  hssize_t n = H5Sget_simple_extent_npoints(space.id());
  if (n != 1) fail(f.path, "attribute '" + attr + "'", "expected a single value");
}

// Contiguous, unfiltered datasets are one byte range of the file: where it
// starts, after checking that its stored size matches its shape; nullopt when
// the dataset is stored any other way (HDF5 then does the read).
std::optional<uint64_t> contiguousStart(const File& f, const std::string& place, hid_t ds,
                                        size_t bytes) {
  Handle dcpl(H5Dget_create_plist(ds), Handle::Kind::PropertyList);
  if (H5Pget_layout(dcpl.id()) != H5D_CONTIGUOUS || H5Pget_nfilters(dcpl.id()) != 0)
    return std::nullopt;
  haddr_t offset = H5Dget_offset(ds);
  if (offset == HADDR_UNDEF) return std::nullopt;
  if (H5Dget_storage_size(ds) != bytes) fail(f.path, place, "stored size does not match its shape");
  return static_cast<uint64_t>(offset);
}

// Such a range is read with pread straight into dst, at page-cache speed.
bool readContiguous(const File& f, const std::string& place, hid_t ds, void* dst, size_t bytes) {
  const auto offset = contiguousStart(f, place, ds, bytes);
  if (!offset) return false;
  if (f.input)
    f.input->readAt(*offset, dst, bytes, place);
  else
    InputFile(f.path, std::numeric_limits<uint64_t>::max()).readAt(*offset, dst, bytes, place);
  return true;
}

} // namespace

Handle& Handle::operator=(Handle&& o) noexcept {
  if (this != &o) {
    reset();
    m_id = o.m_id;
    m_kind = o.m_kind;
    o.m_id = -1;
  }
  return *this;
}

void Handle::reset() {
  if (m_id < 0) return;
  switch (m_kind) {
  case Kind::File:
    H5Fclose(m_id);
    break;
  case Kind::Group:
    H5Oclose(m_id);
    break;
  case Kind::Dataset:
    H5Dclose(m_id);
    break;
  case Kind::Attribute:
    H5Aclose(m_id);
    break;
  case Kind::Dataspace:
    H5Sclose(m_id);
    break;
  case Kind::Datatype:
    H5Tclose(m_id);
    break;
  case Kind::PropertyList:
    H5Pclose(m_id);
    break;
  }
  m_id = -1;
}

int64_t DatasetInfo::elementCount() const {
  int64_t n = 1;
  for (auto d : shape)
    n *= d;
  return n;
}

namespace {
// One attempt; nullopt when the name was swapped between our open and
// HDF5's (an atomic replace: the train log is replaced at every step).
std::optional<File> tryOpenRead(const std::filesystem::path& path) {
  std::string p = path.string();
  // Our own descriptor first: a FIFO or a device is refused before HDF5
  // (which would block on it or read it without end) opens the name.
  auto input = std::make_shared<InputFile>(path, std::numeric_limits<uint64_t>::max());
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), Handle::Kind::PropertyList);
  H5Pset_file_locking(fapl.id(), false, true);
  hid_t id = H5Fopen(p.c_str(), H5F_ACC_RDONLY, fapl.id());
  if (id < 0) fail(p, "", "not a readable HDF5 file (truncated or damaged?)");
  File f{Handle(id, Handle::Kind::File), p, std::move(input),
         std::make_shared<std::unordered_set<std::string>>()};
  // Check that HDF5 holds the very file we checked.
  void* vfd = nullptr;
  struct stat st {};
  if (H5Fget_vfd_handle(id, fapl.id(), &vfd) < 0 || !vfd ||
      ::fstat(*static_cast<int*>(vfd), &st) != 0)
    fail(p, "", "cannot be inspected after opening");
  if (static_cast<uint64_t>(st.st_dev) != f.input->device() ||
      static_cast<uint64_t>(st.st_ino) != f.input->inode())
    return std::nullopt;
  return f;
}
} // namespace

File openRead(const std::filesystem::path& path) {
  silence();
  // A file being replaced atomically opens consistently on a second try.
  for (int attempt = 0; attempt < 5; ++attempt)
    if (auto f = tryOpenRead(path)) return std::move(*f);
  fail(path.string(), "", "changed while being opened, five times in a row");
}

File create(const std::filesystem::path& path) {
  silence();
  std::string p = path.string();
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), Handle::Kind::PropertyList);
  H5Pset_file_locking(fapl.id(), false, true);
  // The 1.8+ file format checksums the superblock and object headers, so a
  // damaged file fails with an error instead of being misparsed (older
  // layouts have no metadata checksums). Readable by HDF5 1.8 and later.
  H5Pset_libver_bounds(fapl.id(), H5F_LIBVER_V18, H5F_LIBVER_LATEST);
  errno = 0;
  hid_t id = H5Fcreate(p.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.id());
  if (id < 0) {
    const int err = errno;
    fail(p, "",
         std::string("cannot create HDF5 file") +
             (err ? std::string(": ") + std::strerror(err) : ""));
  }
  return File{Handle(id, Handle::Kind::File), p, nullptr, nullptr}; // written: no link cache
}

void flush(const File& f) {
  errno = 0;
  if (H5Fflush(f.handle.id(), H5F_SCOPE_GLOBAL) < 0) failWrite(f.path, "");
}

Handle openGroup(const File& f, const std::string& name) {
  checks::requireInternalPath(f.handle.id(), f.path, name, f.knownLinks.get());
  return check(H5Gopen2(f.handle.id(), name.c_str(), H5P_DEFAULT), Handle::Kind::Group, f.path,
               "group '" + name + "'", "missing or unreadable");
}

Handle createGroup(const File& f, const std::string& name) {
  return check(H5Gcreate2(f.handle.id(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
               Handle::Kind::Group, f.path, "group '" + name + "'", "cannot be created");
}

bool exists(const File& f, const std::string& name) {
  checks::requireInternalPath(f.handle.id(), f.path, name, f.knownLinks.get());
  if (f.knownLinks && f.knownLinks->count(name)) return true; // found along the way
  // Check each path component: H5Lexists fails on a missing intermediate.
  size_t pos = 0;
  while (true) {
    size_t next = name.find('/', pos + 1);
    std::string prefix = name.substr(0, next);
    if (!prefix.empty() && prefix != "/" &&
        H5Lexists(f.handle.id(), prefix.c_str(), H5P_DEFAULT) <= 0)
      return false;
    if (next == std::string::npos) return true;
    pos = next;
  }
}

size_t groupSize(const File& f, const std::string& group) {
  Handle g = openGroup(f, group);
  H5G_info_t info;
  if (H5Gget_info(g.id(), &info) < 0) fail(f.path, "group '" + group + "'", "unreadable");
  return static_cast<size_t>(info.nlinks);
}

std::vector<std::string> listGroup(const File& f, const std::string& group) {
  Handle g = openGroup(f, group);
  H5G_info_t info;
  if (H5Gget_info(g.id(), &info) < 0) fail(f.path, "group '" + group + "'", "unreadable");
  if (info.nlinks > kMaxGroupMembers)
    fail(f.path, "group '" + group + "'",
         std::to_string(info.nlinks) + " members, over the limit of " +
             std::to_string(kMaxGroupMembers));
  // One pass over the links, in name order. (Asking for the i-th name, as
  // this did before, walks a large group's name index again at each i: 44 ms
  // for a BERT-base checkpoint's 202 tensors.) H5Literate and H5L_info_t are
  // the names every HDF5 from 1.8 on maps to its own version.
  struct Collected {
    std::vector<std::string> names;
    bool bad = false;
  } collected;
  collected.names.reserve(info.nlinks);
  auto collect = [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
    auto* out = static_cast<Collected*>(data);
    const size_t len = strnlen(name, 65537);
    if (len > 65536 || out->names.size() >= kMaxGroupMembers) {
      out->bad = true;
      return 1; // stop
    }
    out->names.emplace_back(name, len);
    return 0;
  };
  hsize_t idx = 0;
  if (H5Literate(g.id(), H5_INDEX_NAME, H5_ITER_INC, &idx, collect, &collected) < 0 ||
      collected.bad)
    fail(f.path, "group '" + group + "'", "unreadable member name");
  return collected.names;
}

namespace {
// The one external segment's file of a linked dataset (openDataset has
// accepted nothing else), or "".
std::string externalFileName(hid_t ds) {
  Handle dcpl(H5Dget_create_plist(ds), Handle::Kind::PropertyList);
  if (H5Pget_external_count(dcpl.id()) != 1) return {};
  char name[4096] = {};
  off_t offset = 0;
  hsize_t size = 0;
  if (H5Pget_external(dcpl.id(), 0, sizeof name - 1, name, &offset, &size) < 0) return {};
  return name;
}
} // namespace

void readLookedUp(const File& f, const std::string& name, const DatasetLookup& found, void* dst,
                  size_t bytes) {
  const size_t need =
      static_cast<size_t>(found.info.elementCount()) * format::dtypeSize(found.info.dtype);
  if (need != bytes)
    fail(f.path, "dataset '" + name + "'", "buffer size does not match the dataset");
  if (found.offset && f.input)
    f.input->readAt(*found.offset, dst, bytes, "dataset '" + name + "'");
  else
    readDatasetRaw(f, name, found.info, dst, bytes);
}

namespace {
DatasetInfo infoOf(const File& f, const std::string& name, const std::string& place,
                   const Handle& ds);
std::string readStringAttr(const File& f, const std::string& attr, const Handle& a);
} // namespace

DatasetInfo datasetInfo(const File& f, const std::string& name) {
  const std::string place = "dataset '" + name + "'";
  return infoOf(f, name, place, openDataset(f, name, place));
}

DatasetLookup lookupDataset(const File& f, const std::string& name, const std::string& attr) {
  const std::string place = "dataset '" + name + "'";
  Handle ds = openDataset(f, name, place);
  DatasetLookup out;
  out.info = infoOf(f, name, place, ds);
  const size_t bytes =
      static_cast<size_t>(out.info.elementCount()) * format::dtypeSize(out.info.dtype);
  if (bytes > 0) out.offset = contiguousStart(f, place, ds.id(), bytes);
  // Through the open dataset: by name, HDF5 would walk the path again.
  if (!attr.empty() && H5Aexists(ds.id(), attr.c_str()) > 0) {
    Handle a = check(H5Aopen(ds.id(), attr.c_str(), H5P_DEFAULT), Handle::Kind::Attribute, f.path,
                     "attribute '" + attr + "'", "cannot be read");
    out.attr = readStringAttr(f, attr, a);
  }
  return out;
}

namespace {
DatasetInfo infoOf(const File& f, const std::string& name, const std::string& place,
                   const Handle& ds) {
  Handle space =
      check(H5Dget_space(ds.id()), Handle::Kind::Dataspace, f.path, place, "has no dataspace");
  int rank = H5Sget_simple_extent_ndims(space.id());
  if (rank < 0 || rank > kMaxRank) fail(f.path, place, "unsupported rank");
  hsize_t dims[kMaxRank];
  H5Sget_simple_extent_dims(space.id(), dims, nullptr);
  DatasetInfo info;
  info.externalFile = externalFileName(ds.id());
  // Bound the element count so a crafted file cannot overflow our sizes.
  long double total = 1;
  for (int i = 0; i < rank; ++i) {
    info.shape.push_back(static_cast<int64_t>(dims[i]));
    total *= static_cast<long double>(dims[i]);
  }
  if (total > static_cast<long double>(std::numeric_limits<int64_t>::max() / 16))
    fail(f.path, place, "declared size is impossibly large");

  Handle type =
      check(H5Dget_type(ds.id()), Handle::Kind::Datatype, f.path, place, "has no datatype");
  H5T_class_t cls = H5Tget_class(type.id());
  size_t size = H5Tget_size(type.id());
  if (size > 1 && H5Tget_order(type.id()) != H5T_ORDER_LE)
    fail(f.path, place, "big-endian data is not supported");
  if (cls == H5T_FLOAT) {
    // The bytes are used as they are: only the standard IEEE layouts mean
    // what their bytes say (another bias or field order would read wrong).
    const auto ieee = checks::standardFloat(type.id());
    if (!ieee) fail(f.path, place, "not a standard IEEE float layout (bias, fields or padding)");
    info.dtype = *ieee;
  } else if (cls == H5T_INTEGER) {
    if (!checks::plainInteger(type.id()))
      fail(f.path, place, "integer with padding bits or an offset is not supported");
    bool isSigned = H5Tget_sign(type.id()) == H5T_SGN_2;
    if (isSigned && size == 8)
      info.dtype = format::DType::I64;
    else if (isSigned && size == 4)
      info.dtype = format::DType::I32;
    else if (isSigned && size == 2)
      info.dtype = format::DType::I16;
    else if (isSigned && size == 1)
      info.dtype = format::DType::I8;
    else if (!isSigned && size == 1)
      info.dtype = format::DType::U8;
    else if (!isSigned && size == 2) {
      // bfloat16 is stored as its raw 16 bits, tagged by an attribute.
      if (hasAttr(f, name, "dtype") && readAttrString(f, name, "dtype") == "bfloat16") {
        info.dtype = format::DType::BF16;
        info.bfloat16Tagged = true;
      } else {
        fail(f.path, place, "uint16 data without dtype=\"bfloat16\" is not supported");
      }
    } else {
      fail(f.path, place, "unsupported integer type");
    }
  } else {
    fail(f.path, place, "unsupported datatype (expected numbers)");
  }
  return info;
}
} // namespace

void readDatasetRaw(const File& f, const std::string& name, const DatasetInfo& info, void* dst,
                    size_t dstBytes) {
  const std::string place = "dataset '" + name + "'";
  size_t need = static_cast<size_t>(info.elementCount()) * format::dtypeSize(info.dtype);
  if (need != dstBytes) fail(f.path, place, "buffer size does not match the dataset");
  Handle ds = openDataset(f, name, place);
  if (need == 0) return;
  if (readContiguous(f, place, ds.id(), dst, need)) return;
  // Read in the file's own type: the bytes are already little-endian.
  Handle type =
      check(H5Dget_type(ds.id()), Handle::Kind::Datatype, f.path, place, "has no datatype");
  if (H5Dread(ds.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, dst) < 0)
    fail(f.path, place, "data cannot be read (file truncated or damaged?)");
}

void writeDatasetRaw(const File& f, const std::string& name, format::DType dtype,
                     const std::vector<int64_t>& shape, const void* data) {
  const std::string place = "dataset '" + name + "'";
  std::vector<hsize_t> dims(shape.begin(), shape.end());
  Handle space = check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                       Handle::Kind::Dataspace, f.path, place, "bad shape");
  Handle lcpl(H5Pcreate(H5P_LINK_CREATE), Handle::Kind::PropertyList);
  H5Pset_create_intermediate_group(lcpl.id(), 1);
  hid_t type = fileTypeFor(dtype);
  Handle ds = check(H5Dcreate2(f.handle.id(), name.c_str(), type, space.id(), lcpl.id(),
                               H5P_DEFAULT, H5P_DEFAULT),
                    Handle::Kind::Dataset, f.path, place, "cannot be created");
  errno = 0;
  if (H5Dwrite(ds.id(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) failWrite(f.path, place);
  if (dtype == format::DType::BF16) writeAttrString(f, name, "dtype", "bfloat16");
}

void writeDatasetExternal(const File& f, const std::string& name, format::DType dtype,
                          const std::vector<int64_t>& shape, const std::string& externalFile,
                          uint64_t offset) {
  const std::string place = "dataset '" + name + "'";
  std::vector<hsize_t> dims(shape.begin(), shape.end());
  hsize_t bytes = format::dtypeSize(dtype);
  for (auto d : dims)
    bytes *= d;
  Handle space = check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                       Handle::Kind::Dataspace, f.path, place, "bad shape");
  Handle lcpl(H5Pcreate(H5P_LINK_CREATE), Handle::Kind::PropertyList);
  H5Pset_create_intermediate_group(lcpl.id(), 1);
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), Handle::Kind::PropertyList);
  if (H5Pset_external(dcpl.id(), externalFile.c_str(), static_cast<off_t>(offset), bytes) < 0)
    fail(f.path, place, "cannot refer to " + externalFile);
  hid_t type = fileTypeFor(dtype);
  Handle ds = check(
      H5Dcreate2(f.handle.id(), name.c_str(), type, space.id(), lcpl.id(), dcpl.id(), H5P_DEFAULT),
      Handle::Kind::Dataset, f.path, place, "cannot be created");
  if (dtype == format::DType::BF16) writeAttrString(f, name, "dtype", "bfloat16");
}

void writeStrings(const File& f, const std::string& name, const std::vector<std::string>& values) {
  // UTF-8 bytes back to back plus n + 1 offsets, as two plain datasets in a
  // group: no variable-length strings, whose global heap, once damaged, can
  // crash or hang HDF5's reader (test_hostile_probe_files).
  std::vector<int64_t> offsets{0};
  std::string bytes;
  for (const auto& v : values) {
    bytes += v;
    offsets.push_back(static_cast<int64_t>(bytes.size()));
  }
  writeDatasetRaw(f, name + "/utf8", format::DType::U8, {static_cast<int64_t>(bytes.size())},
                  bytes.data());
  writeDatasetRaw(f, name + "/offsets", format::DType::I64, {static_cast<int64_t>(offsets.size())},
                  offsets.data());
}

namespace {

bool isGroup(const File& f, const std::string& name) {
  if (!exists(f, name)) return false;
  Handle group(H5Gopen2(f.handle.id(), name.c_str(), H5P_DEFAULT), Handle::Kind::Group);
  return group.id() >= 0;
}

// Files written before the byte form (the bundled demo's among them).
std::vector<std::string> readVariableLengthStrings(const File& f, const std::string& name,
                                                   size_t maxCount) {
  const std::string place = "dataset '" + name + "'";
  Handle ds = openDataset(f, name, place);
  Handle space(H5Dget_space(ds.id()), Handle::Kind::Dataspace);
  if (H5Sget_simple_extent_ndims(space.id()) != 1) fail(f.path, place, "expected 1-D strings");
  hsize_t n = 0;
  H5Sget_simple_extent_dims(space.id(), &n, nullptr);
  if (n > maxCount) fail(f.path, place, "too many strings");
  Handle ftype(H5Dget_type(ds.id()), Handle::Kind::Datatype);
  if (H5Tget_class(ftype.id()) != H5T_STRING || !H5Tis_variable_str(ftype.id()))
    fail(f.path, place, "expected variable-length strings");
  Handle mtype(H5Tcopy(H5T_C_S1), Handle::Kind::Datatype);
  H5Tset_size(mtype.id(), H5T_VARIABLE);
  H5Tset_cset(mtype.id(), H5Tget_cset(ftype.id()));
  std::vector<char*> ptrs(n, nullptr);
  if (n > 0 && H5Dread(ds.id(), mtype.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()) < 0)
    fail(f.path, place, "cannot be read");
  std::vector<std::string> out;
  out.reserve(n);
  for (char* p : ptrs)
    out.emplace_back(p ? p : "");
  if (n > 0) H5Dvlen_reclaim(mtype.id(), space.id(), H5P_DEFAULT, ptrs.data());
  return out;
}

} // namespace

bool isStringList(const File& f, const std::string& name) {
  return isGroup(f, name) && exists(f, name + "/utf8") && exists(f, name + "/offsets");
}

std::vector<std::string> readStrings(const File& f, const std::string& name, size_t maxCount) {
  if (!isGroup(f, name)) return readVariableLengthStrings(f, name, maxCount);
  const std::string place = "strings '" + name + "'";
  // One open per dataset for its shape, type and place: the GUI reads a
  // step's string lists at each cursor move that reaches a new step.
  const DatasetLookup bytesFound = lookupDataset(f, name + "/utf8", "");
  const DatasetLookup offsetsFound = lookupDataset(f, name + "/offsets", "");
  const DatasetInfo& bytesInfo = bytesFound.info;
  const DatasetInfo& offsetsInfo = offsetsFound.info;
  if (bytesInfo.dtype != format::DType::U8 || bytesInfo.shape.size() != 1 ||
      offsetsInfo.dtype != format::DType::I64 || offsetsInfo.shape.size() != 1 ||
      offsetsInfo.shape[0] < 1)
    fail(f.path, place, "expected 1-D uint8 'utf8' and 1-D int64 'offsets'");
  const auto count = static_cast<size_t>(offsetsInfo.shape[0] - 1);
  if (count > maxCount) fail(f.path, place, "too many strings");
  if (static_cast<uint64_t>(bytesInfo.shape[0]) > kMaxStringBytes)
    fail(f.path, place, "declared size is too large");
  std::vector<int64_t> offsets(count + 1);
  readLookedUp(f, name + "/offsets", offsetsFound, offsets.data(),
               offsets.size() * sizeof(int64_t));
  std::string bytes(static_cast<size_t>(bytesInfo.shape[0]), '\0');
  readLookedUp(f, name + "/utf8", bytesFound, bytes.data(), bytes.size());
  if (offsets.front() != 0 || offsets.back() != static_cast<int64_t>(bytes.size()))
    fail(f.path, place, "offsets do not span the bytes");
  std::vector<std::string> out;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    if (offsets[i + 1] < offsets[i])
      fail(f.path, place, "offsets decrease at string " + std::to_string(i));
    out.push_back(bytes.substr(static_cast<size_t>(offsets[i]),
                               static_cast<size_t>(offsets[i + 1] - offsets[i])));
  }
  return out;
}

bool hasAttr(const File& f, const std::string& objectName, const std::string& attr) {
  checks::requireInternalPath(f.handle.id(), f.path, objectName, f.knownLinks.get());
  return H5Aexists_by_name(f.handle.id(), objectName.c_str(), attr.c_str(), H5P_DEFAULT) > 0;
}

std::vector<std::string> listAttrs(const File& f, const std::string& objectName) {
  Handle obj = openObjectForAttrs(f, objectName);
  std::vector<std::string> names;
  // H5Aiterate2 exists in every HDF5 from 1.8 on (H5Oget_info's signature does not).
  auto collect = [](hid_t, const char* name, const H5A_info_t*, void* data) -> herr_t {
    auto* out = static_cast<std::vector<std::string>*>(data);
    if (out->size() > 4096) return 1; // a hostile file: stop early
    out->emplace_back(name);
    return 0;
  };
  hsize_t idx = 0;
  if (H5Aiterate2(obj.id(), H5_INDEX_NAME, H5_ITER_INC, &idx, collect, &names) < 0)
    fail(f.path, objectName, "attributes unreadable");
  return names;
}

bool isNumericScalarAttr(const File& f, const std::string& objectName, const std::string& attr) {
  if (!hasAttr(f, objectName, attr)) return false;
  Handle a = openAttr(f, objectName, attr);
  Handle type(H5Aget_type(a.id()), Handle::Kind::Datatype);
  H5T_class_t cls = H5Tget_class(type.id());
  Handle space(H5Aget_space(a.id()), Handle::Kind::Dataspace);
  return (cls == H5T_INTEGER || cls == H5T_FLOAT) && H5Sget_simple_extent_npoints(space.id()) == 1;
}

int64_t readAttrInt(const File& f, const std::string& objectName, const std::string& attr) {
  Handle a = openAttr(f, objectName, attr);
  requireSingleElement(f, attr, a.id());
  Handle type(H5Aget_type(a.id()), Handle::Kind::Datatype);
  if (H5Tget_class(type.id()) != H5T_INTEGER)
    fail(f.path, "attribute '" + attr + "'", "expected an integer");
  int64_t v = 0;
  if (H5Aread(a.id(), H5T_NATIVE_INT64, &v) < 0)
    fail(f.path, "attribute '" + attr + "'", "cannot be read");
  return v;
}

double readAttrDouble(const File& f, const std::string& objectName, const std::string& attr) {
  Handle a = openAttr(f, objectName, attr);
  requireSingleElement(f, attr, a.id());
  Handle type(H5Aget_type(a.id()), Handle::Kind::Datatype);
  H5T_class_t cls = H5Tget_class(type.id());
  if (cls != H5T_FLOAT && cls != H5T_INTEGER)
    fail(f.path, "attribute '" + attr + "'", "expected a number");
  double v = 0;
  if (H5Aread(a.id(), H5T_NATIVE_DOUBLE, &v) < 0)
    fail(f.path, "attribute '" + attr + "'", "cannot be read");
  return v;
}

namespace {
// An open string attribute's value (fixed or variable length).
std::string readStringAttr(const File& f, const std::string& attr, const Handle& a) {
  const std::string place = "attribute '" + attr + "'";
  requireSingleElement(f, attr, a.id());
  Handle ftype(H5Aget_type(a.id()), Handle::Kind::Datatype);
  if (H5Tget_class(ftype.id()) != H5T_STRING) fail(f.path, place, "expected a string");
  if (H5Tis_variable_str(ftype.id())) {
    Handle mtype(H5Tcopy(H5T_C_S1), Handle::Kind::Datatype);
    H5Tset_size(mtype.id(), H5T_VARIABLE);
    H5Tset_cset(mtype.id(), H5Tget_cset(ftype.id()));
    char* p = nullptr;
    if (H5Aread(a.id(), mtype.id(), &p) < 0) fail(f.path, place, "cannot be read");
    std::string v = p ? std::string(p, strnlen(p, kMaxAttrStringBytes)) : std::string();
    Handle space(H5Aget_space(a.id()), Handle::Kind::Dataspace);
    H5Dvlen_reclaim(mtype.id(), space.id(), H5P_DEFAULT, &p);
    return v;
  }
  size_t size = H5Tget_size(ftype.id());
  if (size > kMaxAttrStringBytes) fail(f.path, place, "string too long");
  std::string v(size, '\0');
  // Read in the file's own string type (its size, padding and character set).
  Handle mtype(H5Tcopy(ftype.id()), Handle::Kind::Datatype);
  if (H5Aread(a.id(), mtype.id(), v.data()) < 0) fail(f.path, place, "cannot be read");
  v.resize(strnlen(v.c_str(), size));
  return v;
}
} // namespace

std::string readAttrString(const File& f, const std::string& objectName, const std::string& attr) {
  return readStringAttr(f, attr, openAttr(f, objectName, attr));
}

namespace {
void writeAttrTyped(const File& f, const std::string& objectName, const std::string& attr,
                    hid_t type, const void* value) {
  const std::string place = "attribute '" + attr + "'";
  if (hasAttr(f, objectName, attr))
    H5Adelete_by_name(f.handle.id(), objectName.c_str(), attr.c_str(), H5P_DEFAULT);
  Handle space(H5Screate(H5S_SCALAR), Handle::Kind::Dataspace);
  Handle a = check(H5Acreate_by_name(f.handle.id(), objectName.c_str(), attr.c_str(), type,
                                     space.id(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                   Handle::Kind::Attribute, f.path, place, "cannot be created");
  errno = 0;
  if (H5Awrite(a.id(), type, value) < 0) failWrite(f.path, place);
}
} // namespace

void writeAttrInt(const File& f, const std::string& objectName, const std::string& attr,
                  int64_t v) {
  writeAttrTyped(f, objectName, attr, H5T_STD_I64LE, &v);
}

void writeAttrDouble(const File& f, const std::string& objectName, const std::string& attr,
                     double v) {
  writeAttrTyped(f, objectName, attr, H5T_IEEE_F64LE, &v);
}

void writeAttrString(const File& f, const std::string& objectName, const std::string& attr,
                     const std::string& v) {
  // Fixed-length, so the text sits in the (checksummed) object header; a
  // variable-length string lives in the global heap, which has no checksum
  // and which HDF5 reads unchecked from a damaged file.
  Handle type(H5Tcopy(H5T_C_S1), Handle::Kind::Datatype);
  H5Tset_size(type.id(), std::max<size_t>(v.size(), 1));
  H5Tset_strpad(type.id(), H5T_STR_NULLPAD);
  H5Tset_cset(type.id(), H5T_CSET_UTF8);
  std::string padded = v;
  padded.resize(std::max<size_t>(v.size(), 1), '\0');
  writeAttrTyped(f, objectName, attr, type.id(), padded.data());
}

} // namespace chrysalis::h5
