#pragma once
// What a hostile HDF5 file may not do (used by h5.cpp and h5_walk.cpp only;
// includes hdf5.h). HDF5 will happily open other files on a file's say-so
// (external links, external storage, virtual datasets), read never-written
// storage as fill values and convert any float layout; Chrysalis reads
// numbers from one file, in standard IEEE layouts, or refuses with an
// InputError naming the file and the object.
#include "format/dtype.h"

#include <hdf5.h>

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>

namespace chrysalis::h5::checks {

// One dataset may declare at most this many bytes (a BERT-large embedding
// matrix is 125 MB), and a compressed one at most kMaxExpansion times its
// stored size (deflate cannot exceed about 1,032).
inline constexpr uint64_t kMaxDatasetBytes = uint64_t{4} << 30;
inline constexpr uint64_t kMaxExpansion = 1100;

// Refuses external links anywhere along `name` (HDF5 would open the file
// they name, a FIFO included), soft links (which may name an external link)
// and user-defined link types. `known` (may be
// null) holds the prefixes already found to exist and be internal in this
// file, skipped here; those found now are added.
void requireInternalPath(hid_t file, const std::string& path, const std::string& name,
                         std::unordered_set<std::string>* known = nullptr);

// Refuses virtual datasets, external storage, storage never (or only partly)
// written, and declared sizes out of proportion to what is stored.
// `declaredBytes` is elements x element size.
void requireStoredInFile(hid_t dataset, const std::string& path, const std::string& place,
                         uint64_t declaredBytes);

// The DType of a standard little-endian IEEE float (binary16/32/64), or none
// for any other layout (another exponent bias, moved fields, padding bits).
std::optional<format::DType> standardFloat(hid_t type);
// Whether an integer type uses all of its bytes (no offset, no padding bits).
bool plainInteger(hid_t type);

// The object at `name`: an identity (its address in the file), for finding
// an object reached twice while walking (hard-link cycles), and its kind.
struct ObjectId {
  std::string key;
  bool isGroup = false;
};
ObjectId objectId(hid_t file, const std::string& path, const std::string& name,
                  std::unordered_set<std::string>* known = nullptr);

} // namespace chrysalis::h5::checks
