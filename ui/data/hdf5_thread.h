#pragma once
// HDF5 keeps its error-printing switch per thread in thread-safe builds
// (Debian's libhdf5 is one), while chrysalis::format switches printing off
// once per process, on whichever thread first opens a file. A second thread
// that reads HDF5 (our I/O thread, next to a main thread that read first)
// would then print HDF5-DIAG noise for errors the format library handles
// itself. Call this at the start of every thread that reads HDF5.
// TODO: remove once core/format/h5.cpp silences per thread (thread_local).
namespace chrysalis::ui {

void silenceHdf5OnThisThread();

} // namespace chrysalis::ui
