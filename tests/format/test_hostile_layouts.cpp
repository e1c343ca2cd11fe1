// Hostile HDF5 layouts (issue 19, items 5 and 11): files built with the HDF5
// C API that would make HDF5 read other files (external storage, virtual
// datasets, external links, a FIFO behind any of them), read storage never
// written, convert a non-IEEE float layout, or walk a hard-link cycle, 2,000
// nested groups or a 10^9-element array. Every read runs in a forked child
// with an alarm and must end in an error naming the file and the reason.
#include "common/error.h"
#include "format/checkpoint_file.h"
#include "format/probe_store.h"
#include "raw_checkpoint_h5.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <functional>
#include <vector>

using namespace chrysalis;
using test::Ending;
namespace fs = std::filesystem;

namespace {

// Writes `path` as a minimal checkpoint (root attribute step, group
// /tensors) and lets `build` add to it with the raw C API.
void writeH5(const fs::path& path, const std::function<void(hid_t file)>& build) {
  hid_t file = test::createRawCheckpoint(path.c_str());
  ASSERT_GE(file, 0);
  build(file);
  H5Fclose(file);
}

// Creates dataset `name` of `n` elements of `type` with creation properties
// `dcpl`; writes `data` when given.
void dataset(hid_t file, const char* name, hid_t type, hsize_t n, hid_t dcpl,
             const void* data = nullptr) {
  hid_t space = H5Screate_simple(1, &n, nullptr);
  hid_t ds = H5Dcreate2(file, name, type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  ASSERT_GE(ds, 0) << name;
  if (data) H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
  H5Dclose(ds);
  H5Sclose(space);
}

// Reads tensor "w" of the checkpoint `path` whole, as the engine does.
void readTensor(const fs::path& path) {
  format::CheckpointReader reader(path);
  const auto entry = reader.tensor("w");
  std::vector<char> buffer(entry.byteSize());
  reader.read(entry, buffer.data(), buffer.size());
}

Ending tensorEnding(const fs::path& path, const std::string& reason) {
  return test::readEnding([&] { readTensor(path); }, path.filename().string(), reason);
}

const std::vector<float> kFour{1, 2, 3, 4};

} // namespace

TEST(HostileLayouts, ExternalStorageIsRefusedWhereverItPoints) {
  test::ScratchDir dir;
  test::makeFifo(dir / "fifo");
  for (const fs::path& target : {fs::path("/etc/passwd"), fs::path("/dev/urandom"), dir / "fifo"}) {
    const fs::path file = dir / "external.h5";
    writeH5(file, [&](hid_t f) {
      hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
      H5Pset_external(dcpl, target.c_str(), 0, 16);
      dataset(f, "/tensors/w", H5T_IEEE_F32LE, 4, dcpl);
      H5Pclose(dcpl);
    });
    EXPECT_REFUSED(tensorEnding(file, "external storage")) << target;
  }
}

TEST(HostileLayouts, VirtualDatasetsAreRefusedMissingOrSelfReferencing) {
  test::ScratchDir dir;
  for (const char* source : {"missing.h5", "."}) { // "." is the file itself
    const fs::path file = dir / "virtual.h5";
    writeH5(file, [&](hid_t f) {
      hsize_t n = 4;
      hid_t space = H5Screate_simple(1, &n, nullptr);
      hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
      H5Pset_virtual(dcpl, space, source, "/tensors/w", space);
      dataset(f, "/tensors/w", H5T_IEEE_F32LE, 4, dcpl);
      H5Pclose(dcpl);
      H5Sclose(space);
    });
    EXPECT_REFUSED(tensorEnding(file, "virtual dataset")) << source;
  }
}

TEST(HostileLayouts, StorageNeverWrittenIsRefusedNotReadAsZeros) {
  test::ScratchDir dir;
  const fs::path contiguous = dir / "unwritten.h5";
  writeH5(contiguous, [](hid_t f) { dataset(f, "/tensors/w", H5T_IEEE_F32LE, 4, H5P_DEFAULT); });
  EXPECT_REFUSED(tensorEnding(contiguous, "never written"));

  // Chunked, one chunk of four written: the rest would read as fill values.
  const fs::path partly = dir / "partly.h5";
  writeH5(partly, [](hid_t f) {
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    hsize_t chunk = 2;
    H5Pset_chunk(dcpl, 1, &chunk);
    hsize_t n = 8, start = 0, count = 2;
    hid_t space = H5Screate_simple(1, &n, nullptr);
    hid_t ds = H5Dcreate2(f, "/tensors/w", H5T_IEEE_F32LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    hid_t mem = H5Screate_simple(1, &count, nullptr);
    H5Sselect_hyperslab(space, H5S_SELECT_SET, &start, nullptr, &count, nullptr);
    H5Dwrite(ds, H5T_NATIVE_FLOAT, mem, space, H5P_DEFAULT, kFour.data());
    H5Sclose(mem);
    H5Dclose(ds);
    H5Sclose(space);
    H5Pclose(dcpl);
  });
  EXPECT_REFUSED(tensorEnding(partly, "partly written"));
}

TEST(HostileLayouts, HugeDeclaredChunkedArrayIsRefusedBeforeAllocating) {
  test::ScratchDir dir;
  const fs::path file = dir / "huge.h5";
  writeH5(file, [](hid_t f) {
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    hsize_t chunk = 1024;
    H5Pset_chunk(dcpl, 1, &chunk);
    dataset(f, "/tensors/w", H5T_IEEE_F64LE, 1'000'000'000, dcpl);
    H5Pclose(dcpl);
  });
  EXPECT_LT(fs::file_size(file), 64u << 10);
  EXPECT_REFUSED(tensorEnding(file, "over the limit"));
}

TEST(HostileLayouts, NonIeeeFloatLayoutsAreRefused) {
  test::ScratchDir dir;
  const std::function<void(hid_t)> oddLayouts[] = {
      [](hid_t t) { H5Tset_ebias(t, 100); },              // another exponent bias
      [](hid_t t) { H5Tset_fields(t, 31, 0, 8, 8, 23); }, // exponent and mantissa swapped
      [](hid_t t) { H5Tset_norm(t, H5T_NORM_NONE); },     // no implied leading bit
  };
  for (const auto& odd : oddLayouts) {
    const fs::path file = dir / "odd-float.h5";
    writeH5(file, [&](hid_t f) {
      hid_t type = H5Tcopy(H5T_IEEE_F32LE);
      odd(type);
      dataset(f, "/tensors/w", type, 4, H5P_DEFAULT, kFour.data());
      H5Tclose(type);
    });
    EXPECT_REFUSED(tensorEnding(file, "not a standard IEEE float"));
  }
}

TEST(HostileLayouts, StandardLayoutsStillRead) {
  // Compact, chunked + deflate, and half floats built as h5py builds them.
  test::ScratchDir dir;
  const fs::path file = dir / "good.h5";
  const std::vector<uint16_t> halves{0x3c00, 0x4000, 0x4200, 0x4400}; // 1, 2, 3, 4
  writeH5(file, [&](hid_t f) {
    hid_t compact = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_layout(compact, H5D_COMPACT);
    dataset(f, "/tensors/compact", H5T_IEEE_F32LE, 4, compact, kFour.data());
    hid_t deflate = H5Pcreate(H5P_DATASET_CREATE);
    hsize_t chunk = 2;
    H5Pset_chunk(deflate, 1, &chunk);
    H5Pset_deflate(deflate, 6);
    dataset(f, "/tensors/deflate", H5T_IEEE_F32LE, 4, deflate, kFour.data());
    hid_t half = H5Tcopy(H5T_IEEE_F32LE);
    H5Tset_fields(half, 15, 10, 5, 0, 10);
    H5Tset_size(half, 2);
    H5Tset_ebias(half, 15);
    dataset(f, "/tensors/half", half, 4, H5P_DEFAULT, halves.data());
    H5Tclose(half);
    H5Pclose(deflate);
    H5Pclose(compact);
  });
  format::CheckpointReader reader(file);
  for (const char* name : {"compact", "deflate"}) {
    const auto entry = reader.tensor(name);
    std::vector<float> values(4);
    reader.read(entry, values.data(), 16);
    EXPECT_EQ(values, kFour) << name;
  }
  const auto half = reader.tensor("half");
  EXPECT_EQ(half.dtype, format::DType::F16);
  std::vector<uint16_t> raw(4);
  reader.read(half, raw.data(), 8);
  EXPECT_EQ(raw, halves);
}

namespace {

// A checkpoint whose tensor "w" is an external link to a FIFO, or a soft
// link to such an external link elsewhere in the file.
fs::path fifoLinkCheckpoint(const test::ScratchDir& dir, bool viaSoftLink) {
  test::makeFifo(dir / "fifo.h5");
  const fs::path file = dir / "elink.h5";
  writeH5(file, [&](hid_t f) {
    const char* at = viaSoftLink ? "/elsewhere" : "/tensors/w";
    H5Lcreate_external((dir / "fifo.h5").c_str(), "/w", f, at, H5P_DEFAULT, H5P_DEFAULT);
    if (viaSoftLink) H5Lcreate_soft(at, f, "/tensors/w", H5P_DEFAULT, H5P_DEFAULT);
  });
  return file;
}

} // namespace

TEST(HostileLayouts, ExternalLinkToAFifoIsRefused) {
  test::ScratchDir dir;
  EXPECT_REFUSED(tensorEnding(fifoLinkCheckpoint(dir, false), "external link"));
}

// A soft link is only a path: one that names an external link would take
// HDF5 into the other file although no link on the path read is external.
// Chrysalis writes no soft links, so readers refuse them.
TEST(HostileLayouts, SoftLinkToAnExternalLinkIsRefused) {
  test::ScratchDir dir;
  EXPECT_REFUSED(tensorEnding(fifoLinkCheckpoint(dir, true), "a soft link"));
}

// Probe results, read by the GUI in its own process.
namespace {

struct ProbeFile {
  test::ScratchDir dir;
  std::string hash;
  fs::path file;
  // A stored result whose file is then rebuilt by `build` (root attributes
  // kept by writing them again).
  explicit ProbeFile(const std::function<void(hid_t file)>& build) {
    format::ProbeStore store(dir.path());
    hash = store.ensureConfig({{"probe", "uas"}});
    file = store.resultPath(hash, 1);
    writeH5(file, [&](hid_t f) {
      hid_t scalar = H5Screate(H5S_SCALAR);
      hid_t str = H5Tcopy(H5T_C_S1);
      H5Tset_size(str, 16);
      for (const char* name : {"config_hash", "probe_set_hash", "app_version"}) {
        hid_t a = H5Acreate2(f, name, str, scalar, H5P_DEFAULT, H5P_DEFAULT);
        H5Awrite(a, str, hash.c_str());
        H5Aclose(a);
      }
      const double created = 0;
      hid_t a = H5Acreate2(f, "created_unix", H5T_IEEE_F64LE, scalar, H5P_DEFAULT, H5P_DEFAULT);
      H5Awrite(a, H5T_NATIVE_DOUBLE, &created);
      H5Aclose(a);
      H5Tclose(str);
      H5Sclose(scalar);
      H5Gclose(H5Gcreate2(f, "/arrays", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
      build(f);
    });
  }
  Ending ending(const std::string& reason) {
    return test::readEnding([&] { format::ProbeStore(dir.path()).read(hash, 1); },
                            file.filename().string(), reason);
  }
};

} // namespace

TEST(HostileLayouts, ProbeResultWithAHardLinkCycleIsRefused) {
  ProbeFile p(
      [](hid_t f) { H5Lcreate_hard(f, "/arrays", f, "/arrays/loop", H5P_DEFAULT, H5P_DEFAULT); });
  EXPECT_REFUSED(p.ending("reached twice"));
}

TEST(HostileLayouts, ProbeResultWithTwoThousandNestedGroupsIsRefused) {
  ProbeFile p([](hid_t f) {
    hid_t g = H5Gopen2(f, "/arrays", H5P_DEFAULT);
    for (int i = 0; i < 2000; ++i) {
      hid_t child = H5Gcreate2(g, "g", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
      H5Gclose(g);
      g = child;
    }
    H5Gclose(g);
  });
  EXPECT_REFUSED(p.ending("nested deeper than 32"));
}

TEST(HostileLayouts, ProbeResultReachingAFifoIsRefused) {
  test::ScratchDir other;
  test::makeFifo(other / "fifo");
  ProbeFile viaLink([&](hid_t f) {
    H5Lcreate_external((other / "fifo").c_str(), "/a", f, "/arrays/a", H5P_DEFAULT, H5P_DEFAULT);
  });
  EXPECT_REFUSED(viaLink.ending("external link"));
  // A soft link is only a path: one that names an external link would take
  // HDF5 into the other file although no link on the path read is external.
  ProbeFile viaSoftLink([&](hid_t f) {
    H5Lcreate_external((other / "fifo").c_str(), "/g", f, "/elsewhere", H5P_DEFAULT, H5P_DEFAULT);
    H5Lcreate_soft("/elsewhere", f, "/arrays/a", H5P_DEFAULT, H5P_DEFAULT);
  });
  EXPECT_REFUSED(viaSoftLink.ending("a soft link"));
  ProbeFile viaStorage([&](hid_t f) {
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_external(dcpl, (other / "fifo").c_str(), 0, 32);
    dataset(f, "/arrays/a", H5T_IEEE_F64LE, 4, dcpl);
    H5Pclose(dcpl);
  });
  EXPECT_REFUSED(viaStorage.ending("external storage"));
}

// A read file remembers the links it found internal ("/arrays", "/arrays/uas"
// and "/arrays/uas/a_good" here, before the walk reaches the last link); a
// link met later under them is still checked.
TEST(HostileLayouts, ProbeResultWithAnExternalLinkBesideGoodArraysIsRefused) {
  test::ScratchDir other;
  test::makeFifo(other / "fifo");
  const std::vector<double> four{1, 2, 3, 4};
  ProbeFile p([&](hid_t f) {
    H5Gclose(H5Gcreate2(f, "/arrays/uas", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    dataset(f, "/arrays/uas/a_good", H5T_IEEE_F64LE, 4, H5P_DEFAULT, four.data());
    H5Lcreate_external((other / "fifo").c_str(), "/w", f, "/arrays/uas/z_link", H5P_DEFAULT,
                       H5P_DEFAULT);
  });
  EXPECT_REFUSED(p.ending("external link"));
}

TEST(HostileLayouts, ProbeResultDeclaringABillionDoublesIsRefused) {
  ProbeFile p([](hid_t f) {
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    hsize_t chunk = 4096;
    H5Pset_chunk(dcpl, 1, &chunk);
    dataset(f, "/arrays/a", H5T_IEEE_F64LE, 1'000'000'000, dcpl);
    H5Pclose(dcpl);
  });
  EXPECT_LT(fs::file_size(p.file), 64u << 10);
  EXPECT_REFUSED(p.ending("over the limit"));
}
