#pragma once
// The smallest file the checkpoint reader accepts, built with the raw HDF5 C
// API so a test or fuzzer can then add any layout HDF5 allows to /tensors:
// a root attribute `step` and an empty group /tensors. Shared by
// test_hostile_layouts.cpp and tests/fuzz/fuzz_h5_layouts.cpp.
#include <hdf5.h>

#include <cstdint>

namespace chrysalis::test {

// Creates `path` (truncating it) with the latest file format (virtual
// datasets need it). Returns the open file; the caller closes it.
inline hid_t createRawCheckpoint(const char* path, int64_t step = 1) {
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  H5Pset_libver_bounds(fapl, H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
  hid_t file = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
  H5Pclose(fapl);
  if (file < 0) return file;
  hid_t scalar = H5Screate(H5S_SCALAR);
  hid_t attr = H5Acreate2(file, "step", H5T_STD_I64LE, scalar, H5P_DEFAULT, H5P_DEFAULT);
  H5Awrite(attr, H5T_NATIVE_INT64, &step);
  H5Aclose(attr);
  H5Sclose(scalar);
  H5Gclose(H5Gcreate2(file, "/tensors", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  return file;
}

} // namespace chrysalis::test
