#include "format/series_paths.h"

#include "common/error.h"

#include <algorithm>

namespace fs = std::filesystem;

namespace chrysalis::format {

namespace {
// Whether `path` is `base` or below it, element by element (a plain string
// prefix would let /data/series-evil pass for /data/series).
bool isWithin(const fs::path& path, const fs::path& base) {
  auto p = path.begin();
  for (auto b = base.begin(); b != base.end(); ++b, ++p)
    if (p == path.end() || *p != *b) return false;
  return true;
}
} // namespace

void requireInsideSeries(const fs::path& seriesDir, const fs::path& folder) {
  std::error_code ec;
  const fs::path base = fs::canonical(seriesDir, ec);
  if (ec)
    throw InputError(seriesDir.string(), "", "cannot resolve the series folder: " + ec.message());
  // weakly_canonical resolves every existing part, symbolic links included.
  const fs::path resolved = fs::weakly_canonical(fs::absolute(folder), ec);
  if (ec) throw InputError(folder.string(), "", "cannot resolve: " + ec.message());
  if (!isWithin(resolved, base))
    throw InputError(folder.string(), "",
                     "leads outside the series folder (to " + resolved.string() +
                         ", a symbolic link?): refused to write there");
}

void createFolderInsideSeries(const fs::path& seriesDir, const fs::path& folder) {
  std::error_code ec;
  fs::create_directories(seriesDir, ec); // the series itself may be new
  requireInsideSeries(seriesDir, folder);
  fs::create_directories(folder, ec);
  if (ec) throw InputError(folder.string(), "", "cannot create folder: " + ec.message());
  requireInsideSeries(seriesDir, folder); // a link swapped in meanwhile
}

} // namespace chrysalis::format
