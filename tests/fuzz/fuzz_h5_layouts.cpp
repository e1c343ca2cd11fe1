// libFuzzer target, structure-aware (issue 19): the input is a program that
// builds a checkpoint with the HDF5 C API — a tensor with a chosen storage
// layout (contiguous, chunked, compact, external storage, virtual dataset,
// storage never or partly written), element type (IEEE, big-endian, half,
// integer, non-IEEE float layouts), declared size and filters, beside nested
// groups, hard-link cycles and external links — and reads it as the engine
// does. Byte mutations of an HDF5 file rarely reach these layouts; building
// them does. Oracle: no crash or hang, and the layouts the readers must refuse
// (external, virtual, unwritten, non-IEEE floats) are never read as data.
//
// Program: byte 0: layout; 1: element type; 2-3: declared elements (16 bits);
// 4: bit 0 deflate, bit 1 write only the first chunk, bits 2-3 extra
// structure (nested groups, a hard-link cycle, an external link); 5: nesting
// depth / 8; the rest: the bytes written.
#include "format/checkpoint_file.h"
#include "raw_checkpoint_h5.h"

#include <hdf5.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace {

enum Layout : uint8_t { Contiguous, Unwritten, Chunked, Compact, External, Virtual, LayoutCount };

// A folder of this process's own, removed at exit.
struct Scratch {
  std::string dir;
  Scratch() {
    char tmpl[] = "/tmp/fuzz-h5-XXXXXX";
    const char* made = mkdtemp(tmpl);
    if (!made) std::abort();
    dir = made;
    mkfifo((dir + "/fifo").c_str(), 0600); // a reader that follows it would hang
  }
  ~Scratch() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

const std::string& scratch() {
  static const Scratch s;
  return s.dir;
}

hid_t elementType(uint8_t pick, bool* nonIeee) {
  *nonIeee = false;
  hid_t t = -1;
  switch (pick % 8) {
  case 0:
    return H5Tcopy(H5T_IEEE_F32LE);
  case 1:
    return H5Tcopy(H5T_IEEE_F32BE);
  case 2:
    return H5Tcopy(H5T_IEEE_F64LE);
  case 3:
    return H5Tcopy(H5T_STD_I32LE);
  case 4:
    t = H5Tcopy(H5T_IEEE_F32LE);
    H5Tset_ebias(t, 100);
    break;
  case 5:
    t = H5Tcopy(H5T_IEEE_F32LE);
    H5Tset_fields(t, 31, 0, 8, 8, 23);
    break;
  case 6:
    t = H5Tcopy(H5T_IEEE_F32LE);
    H5Tset_norm(t, H5T_NORM_NONE);
    break;
  default: // half precision, as h5py writes float16
    t = H5Tcopy(H5T_IEEE_F32LE);
    H5Tset_fields(t, 15, 10, 5, 0, 10);
    H5Tset_size(t, 2);
    H5Tset_ebias(t, 15);
    return t;
  }
  *nonIeee = true;
  return t;
}

// Builds the file; returns true when its tensor must be refused.
bool build(const std::string& path, const uint8_t* data, size_t size) {
  const Layout layout = static_cast<Layout>(data[0] % LayoutCount);
  bool nonIeee = false;
  hid_t type = elementType(data[1], &nonIeee);
  hsize_t n = 1 + ((static_cast<hsize_t>(data[2]) << 8) | data[3]);
  const uint8_t flags = data[4];
  const int depth = data[5] * 8;
  const uint8_t* payload = data + 6;
  const size_t payloadSize = size - 6;
  bool mustRefuse = nonIeee;

  hid_t file = chrysalis::test::createRawCheckpoint(path.c_str());
  if (file < 0) std::abort();
  hid_t tensors = H5Gopen2(file, "/tensors", H5P_DEFAULT);

  hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
  const hsize_t chunk = std::max<hsize_t>(1, n / 4);
  bool write = true;
  switch (layout) {
  case Contiguous:
    break;
  case Unwritten:
    write = false;
    // Never allocated: must be refused. Allocated early but never written
    // reads as fill values and is documented as undetectable without the
    // checksums Chrysalis writes, so it has no oracle.
    if (data[3] % 2)
      H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY);
    else
      mustRefuse = true;
    break;
  case Chunked:
    H5Pset_chunk(dcpl, 1, &chunk);
    if (flags & 1) H5Pset_deflate(dcpl, 1);
    if ((flags & 2) && n > chunk) mustRefuse = true; // only the first chunk is written
    break;
  case Compact:
    n = std::min<hsize_t>(n, 1024);
    H5Pset_layout(dcpl, H5D_COMPACT);
    break;
  case External: {
    static const char* const targets[] = {"/etc/passwd", "/dev/zero", "sibling.bin", "fifo"};
    const std::string target =
        data[3] % 4 < 2 ? targets[data[3] % 4] : scratch() + "/" + targets[data[3] % 4];
    H5Pset_external(dcpl, target.c_str(), 0, static_cast<hsize_t>(1) << 20);
    write = false;
    mustRefuse = true;
    break;
  }
  case Virtual: {
    hid_t space = H5Screate_simple(1, &n, nullptr);
    const char* source = data[3] % 2 ? "." : "missing.h5";
    H5Pset_virtual(dcpl, space, source, "/tensors/w", space);
    H5Sclose(space);
    write = false;
    mustRefuse = true;
    break;
  }
  default:
    break;
  }
  hid_t space = H5Screate_simple(1, &n, nullptr);
  hid_t ds = H5Dcreate2(tensors, "w", type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  if (ds >= 0 && write) {
    const size_t bytes = static_cast<size_t>(n) * H5Tget_size(type);
    std::vector<uint8_t> buffer(bytes);
    for (size_t i = 0; i < bytes && payloadSize > 0; ++i)
      buffer[i] = payload[i % payloadSize];
    if (layout == Chunked && (flags & 2) && n > chunk) {
      hsize_t start = 0;
      hid_t file_space = H5Dget_space(ds);
      H5Sselect_hyperslab(file_space, H5S_SELECT_SET, &start, nullptr, &chunk, nullptr);
      hid_t mem = H5Screate_simple(1, &chunk, nullptr);
      H5Dwrite(ds, type, mem, file_space, H5P_DEFAULT, buffer.data());
      H5Sclose(mem);
      H5Sclose(file_space);
    } else {
      H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data());
    }
  }
  if (ds >= 0)
    H5Dclose(ds);
  else
    mustRefuse = true; // HDF5 refused to build it: nothing named w exists
  H5Sclose(space);
  H5Pclose(dcpl);

  // Extra structure beside the tensor.
  const int extra = (flags >> 2) & 3;
  if (extra == 1) {
    hid_t g = H5Gcreate2(tensors, "nest", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    for (int i = 0; i < depth && g >= 0; ++i) {
      hid_t child = H5Gcreate2(g, "g", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
      H5Gclose(g);
      g = child;
    }
    if (g >= 0) H5Gclose(g);
  } else if (extra == 2) {
    H5Lcreate_hard(file, "/tensors", file, "/tensors/loop", H5P_DEFAULT, H5P_DEFAULT);
  } else if (extra == 3) {
    const std::string fifo = scratch() + "/fifo";
    H5Lcreate_external(fifo.c_str(), "/x", tensors, "ext", H5P_DEFAULT, H5P_DEFAULT);
  }
  H5Gclose(tensors);
  H5Tclose(type);
  H5Fclose(file);
  return mustRefuse;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 6) return 0;
  static const bool quiet = [] {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    return true;
  }();
  (void)quiet;
  const std::string path = scratch() + "/checkpoint.h5";
  const bool mustRefuse = build(path, data, size);
  bool read = false;
  try {
    chrysalis::format::CheckpointReader reader(path);
    const auto entry = reader.tensor("w");
    std::vector<char> buffer(entry.byteSize());
    reader.readUnverified(entry, buffer.data(), buffer.size());
    read = true;
  } catch (const std::exception& e) {
    // A clear refusal is the expected answer to most of these files.
    if (std::getenv("CHRYSALIS_FUZZ_VERBOSE")) std::fprintf(stderr, "refused: %s\n", e.what());
  }
  if (read && std::getenv("CHRYSALIS_FUZZ_VERBOSE"))
    std::fprintf(stderr, "read (must refuse: %d)\n", mustRefuse);
  if (read && mustRefuse) __builtin_trap(); // a layout the readers must refuse was read as data
  try { // the listing walks the extra structure (cycles, nesting, links)
    (void)chrysalis::format::CheckpointReader(path).tensors();
  } catch (const std::exception&) {
  }
  return 0;
}
