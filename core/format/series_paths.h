#pragma once
// Writing inside a series folder that someone else may have prepared: its
// probes/ or checkpoints/ may be a symbolic link to "/" or to another
// user's files. Writers create and check their folders here, so nothing is
// ever written outside the series.
#include <filesystem>

namespace chrysalis::format {

// Creates `folder` (and its parents) and checks that it resolves inside
// `seriesDir`; throws InputError naming the folder otherwise (before
// creating anything when an existing part already leads outside).
void createFolderInsideSeries(const std::filesystem::path& seriesDir,
                              const std::filesystem::path& folder);

// Throws InputError naming `folder` unless it resolves inside `seriesDir`.
void requireInsideSeries(const std::filesystem::path& seriesDir,
                         const std::filesystem::path& folder);

} // namespace chrysalis::format
