#!/usr/bin/env bash
# Builds the packages from a configured build folder (default build/release):
#   chrysalis_<version>_amd64.deb              the desktop app and the engine (Debian 12)
#   chrysalis-engine-<version>-<arch>.tar.gz   chrysalis-cli only, for cluster nodes
# They land in BUILD/packages/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "${1:-$here/build/release}" && pwd)"
out="$build/packages"
mkdir -p "$out"
cmake --build "$build"
cd "$build"
if grep -q '^CHRYSALIS_BUILD_GUI:BOOL=ON' CMakeCache.txt; then
  cpack -G DEB -B "$out"
fi
cpack -G TGZ -B "$out" -D CPACK_ARCHIVE_COMPONENT_INSTALL=ON -D CPACK_COMPONENTS_ALL=engine
rm -rf "$out/_CPack_Packages"
ls -l "$out"
