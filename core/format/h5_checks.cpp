#include "format/h5_checks.h"

#include "common/error.h"
#include "format/checkpoint_file.h"

#include <sys/stat.h>

#include <cstring>

namespace chrysalis::h5::checks {

namespace {

struct FloatLayout {
  size_t size, signPos, expPos, expSize, mantPos, mantSize, bias;
  format::DType dtype;
};
constexpr FloatLayout kIeee[] = {
    {2, 15, 10, 5, 0, 10, 15, format::DType::F16},
    {4, 31, 23, 8, 0, 23, 127, format::DType::F32},
    {8, 63, 52, 11, 0, 52, 1023, format::DType::F64},
};

// Closes a property list on every path out.
struct PlistCloser {
  hid_t id;
  ~PlistCloser() {
    if (id >= 0) H5Pclose(id);
  }
};

// How many chunks cover the dataset's extent.
uint64_t expectedChunks(hid_t ds, hid_t dcpl) {
  hsize_t chunk[H5S_MAX_RANK], dims[H5S_MAX_RANK];
  const int rank = H5Pget_chunk(dcpl, H5S_MAX_RANK, chunk);
  const hid_t space = H5Dget_space(ds);
  const int spaceRank = H5Sget_simple_extent_dims(space, dims, nullptr);
  H5Sclose(space);
  if (rank < 0 || rank != spaceRank) return UINT64_MAX; // never matched: refused
  uint64_t n = 1;
  for (int i = 0; i < rank; ++i)
    n *= chunk[i] ? (dims[i] + chunk[i] - 1) / chunk[i] : 0;
  return n;
}

// Chunks (or, unchunked, whole storages) actually written. HDF5's own space
// status counts bytes, which compression makes look "partly allocated".
uint64_t writtenChunks(hid_t ds, H5D_layout_t layout) {
  if (layout == H5D_COMPACT) return 1; // stored in the object header itself
  if (layout == H5D_CHUNKED) {
    // HDF5 1.10 wants the dataspace itself here (H5S_ALL fails).
    hsize_t n = 0;
    const hid_t space = H5Dget_space(ds);
    const herr_t rc = H5Dget_num_chunks(ds, space, &n);
    H5Sclose(space);
    return rc < 0 ? 0 : n;
  }
  H5D_space_status_t status;
  return H5Dget_space_status(ds, &status) >= 0 && status == H5D_SPACE_STATUS_ALLOCATED ? 1 : 0;
}

} // namespace

void requireInternalPath(hid_t file, const std::string& path, const std::string& name,
                         std::unordered_set<std::string>* known) {
  if (known && known->count(name)) return;
  size_t pos = 0;
  while (true) {
    const size_t next = name.find('/', pos + 1);
    std::string prefix = name.substr(0, next);
    if (!prefix.empty() && prefix != "/" && !(known && known->count(prefix))) {
      if (H5Lexists(file, prefix.c_str(), H5P_DEFAULT) <= 0) return; // missing: the caller says so
      H5L_info_t info;
      if (H5Lget_info(file, prefix.c_str(), &info, H5P_DEFAULT) < 0)
        throw InputError(path, "link '" + prefix + "'", "unreadable");
      if (info.type == H5L_TYPE_EXTERNAL)
        throw InputError(path, "link '" + prefix + "'",
                         "an external link (to another file): refused");
      // A soft link is a path HDF5 follows, to an external link too (which
      // this check, reading only the links named, would not see); Chrysalis
      // writes none.
      if (info.type == H5L_TYPE_SOFT)
        throw InputError(path, "link '" + prefix + "'",
                         "a soft link (Chrysalis files have none): refused");
      if (info.type != H5L_TYPE_HARD)
        throw InputError(path, "link '" + prefix + "'", "a user-defined link: refused");
      if (known) known->insert(std::move(prefix));
    }
    if (next == std::string::npos) return;
    pos = next;
  }
}

namespace {
// A series imported with --link keeps each tensor's bytes in its source file
// (docs/series-format.md §2). Accepted only as one segment of an absolute
// path to a regular file holding every declared byte, on a dataset with a
// checksum (so a changed source is an error, never other numbers).
void requireLinkedSource(hid_t ds, hid_t dcpl, const std::string& path, const std::string& place,
                         uint64_t declaredBytes) {
  if (H5Pget_external_count(dcpl) != 1 || H5Aexists(ds, format::kChecksumAttr) <= 0)
    throw InputError(path, place,
                     "external storage (data in another file) without a checksum: refused");
  char name[4096] = {};
  off_t offset = 0;
  hsize_t size = 0;
  if (H5Pget_external(dcpl, 0, sizeof name - 1, name, &offset, &size) < 0 || offset < 0 ||
      name[0] != '/' || size < declaredBytes)
    throw InputError(path, place, "external storage that is not a linked source: refused");
  struct stat st {};
  if (::stat(name, &st) != 0)
    throw InputError(name, "",
                     "missing: " + path + " (imported with --link) reads its tensor " + place +
                         " from there; put it back or import again without --link");
  if (!S_ISREG(st.st_mode))
    throw InputError(name, "", "not a regular file (linked from " + path + ")");
  if (static_cast<uint64_t>(st.st_size) < static_cast<uint64_t>(offset) + declaredBytes)
    throw InputError(name, "",
                     "changed since it was imported with --link (now shorter than " + path +
                         " expects)");
}
} // namespace

void requireStoredInFile(hid_t ds, const std::string& path, const std::string& place,
                         uint64_t declaredBytes) {
  PlistCloser dcpl{H5Dget_create_plist(ds)};
  if (dcpl.id < 0) throw InputError(path, place, "creation properties unreadable");
  const H5D_layout_t layout = H5Pget_layout(dcpl.id);
  if (layout == H5D_VIRTUAL)
    throw InputError(path, place, "a virtual dataset (data in other files): refused");
  if (layout != H5D_CONTIGUOUS && layout != H5D_CHUNKED && layout != H5D_COMPACT)
    throw InputError(path, place, "unknown storage layout");
  if (H5Pget_external_count(dcpl.id) != 0) {
    requireLinkedSource(ds, dcpl.id, path, place, declaredBytes);
    return;
  }
  if (declaredBytes > kMaxDatasetBytes)
    throw InputError(path, place,
                     "declares " + std::to_string(declaredBytes) + " bytes, over the limit of " +
                         std::to_string(kMaxDatasetBytes >> 30) + " GiB per dataset");
  if (declaredBytes == 0) return;
  const uint64_t chunks = layout == H5D_CHUNKED ? expectedChunks(ds, dcpl.id) : 1;
  const uint64_t written = writtenChunks(ds, layout);
  if (written == 0)
    throw InputError(path, place, "storage never written (it would read as fill values)");
  if (written < chunks)
    throw InputError(path, place,
                     "storage only partly written (" + std::to_string(written) + " of " +
                         std::to_string(chunks) + " chunks; the rest would read as fill values)");
  const uint64_t stored = H5Dget_storage_size(ds);
  const bool filtered = layout == H5D_CHUNKED && H5Pget_nfilters(dcpl.id) > 0;
  // Unfiltered data takes at least its own size (chunks may pad the edges);
  // compressed data expands by a bounded factor.
  const bool plausible =
      filtered ? declaredBytes / kMaxExpansion <= stored : stored >= declaredBytes;
  if (!plausible)
    throw InputError(path, place,
                     "declares " + std::to_string(declaredBytes) + " bytes but stores only " +
                         std::to_string(stored));
}

std::optional<format::DType> standardFloat(hid_t type) {
  if (H5Tget_class(type) != H5T_FLOAT || H5Tget_order(type) != H5T_ORDER_LE) return std::nullopt;
  const size_t size = H5Tget_size(type);
  size_t spos, epos, esize, mpos, msize;
  if (H5Tget_fields(type, &spos, &epos, &esize, &mpos, &msize) < 0) return std::nullopt;
  if (H5Tget_precision(type) != 8 * size || H5Tget_offset(type) != 0 ||
      H5Tget_norm(type) != H5T_NORM_IMPLIED)
    return std::nullopt;
  for (const auto& f : kIeee)
    if (size == f.size && spos == f.signPos && epos == f.expPos && esize == f.expSize &&
        mpos == f.mantPos && msize == f.mantSize && H5Tget_ebias(type) == f.bias)
      return f.dtype;
  return std::nullopt;
}

bool plainInteger(hid_t type) {
  return H5Tget_precision(type) == 8 * H5Tget_size(type) && H5Tget_offset(type) == 0;
}

ObjectId objectId(hid_t file, const std::string& path, const std::string& name,
                  std::unordered_set<std::string>* known) {
  requireInternalPath(file, path, name, known);
#if H5_VERSION_GE(1, 12, 0)
  H5O_info2_t info;
  if (H5Oget_info_by_name3(file, name.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0)
    throw InputError(path, "object '" + name + "'", "unreadable");
  std::string key(reinterpret_cast<const char*>(&info.token), sizeof info.token);
#else
  H5O_info_t info;
  if (H5Oget_info_by_name2(file, name.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0)
    throw InputError(path, "object '" + name + "'", "unreadable");
  std::string key = std::to_string(info.addr);
#endif
  return {std::move(key), info.type == H5O_TYPE_GROUP};
}

} // namespace chrysalis::h5::checks
