#pragma once
// Crash-safe file publication: write under a temporary name in the same
// folder, fsync, rename onto the final name, fsync the folder. A reader sees
// either nothing or the whole file, never a partial one.
#include <filesystem>
#include <functional>
#include <string>

namespace chrysalis::format {

// Temporary files carry this marker; listings skip them.
inline constexpr const char* kTempMarker = ".tmp-";

bool isTemporaryName(const std::filesystem::path& p);

// Calls write(tempPath) and publishes the result as `finalPath`. If write
// throws, the temporary file is removed and the exception propagates; the
// old file under `finalPath` (if any) is untouched.
void publishAtomically(const std::filesystem::path& finalPath,
                       const std::function<void(const std::filesystem::path& tempPath)>& write);

// Writes `contents` to `finalPath` atomically.
void writeFileAtomically(const std::filesystem::path& finalPath, const std::string& contents);

// Reads a whole (small) regular file; throws InputError when missing, not a
// regular file (a FIFO, a device) or over maxBytes.
std::string readSmallFile(const std::filesystem::path& path, size_t maxBytes);

} // namespace chrysalis::format
