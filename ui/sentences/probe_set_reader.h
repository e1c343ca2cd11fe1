#pragma once
// Reads a probe set file (layout: core/probes/probe_set.cpp, saveProbeSet) with
// the format library's HDF5 adapter. HDF5 is not thread-safe: call it only on
// the session's I/O thread (JobQueue), like every other HDF5 read in the GUI.
#include "sentences/probe_set_data.h"

namespace chrysalis::ui {

/// @throws chrysalis::InputError naming the file for anything unreadable or
/// inconsistent (sizes, offsets, heads out of range).
ProbeSetData readProbeSet(const QString& path);

} // namespace chrysalis::ui
