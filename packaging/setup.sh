#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine (see README.md):
#   packaging/setup.sh run    install what is missing, build, open the app on the demo series
#   packaging/setup.sh test   install what is missing, build, run the whole test suite
#   packaging/setup.sh build  install what is missing and build
# Idempotent: a second run installs nothing and rebuilds only what changed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
mode="${1:-build}"
preset="${CHRYSALIS_PRESET:-release}"

"$here/packaging/setup-deps.sh"

if [ ! -f "build/$preset/build.ninja" ]; then
  cmake --preset "$preset"
fi
# The test run also holds the code to the dev preset's standard: warnings are
# errors (the setting stays in the build folder's cache).
if [ "$mode" = test ]; then
  cmake --preset "$preset" -DCHRYSALIS_WERROR=ON > /dev/null
fi
cmake --build --preset "$preset"

case "$mode" in
  build) ;;
  test)
    packaging/check-format.sh
    # Tests that need a display use Qt's offscreen platform; screenshots use xvfb-run.
    export QT_QPA_PLATFORM=offscreen
    ctest --preset "$preset" --timeout 600 -j2
    # The .deb and the engine archive, checked as a user meets them.
    if [ "$preset" = release ]; then
      packaging/make-packages.sh "build/$preset" > /dev/null
      packaging/test-packages.sh "build/$preset"
    fi
    # AddressSanitizer + UBSan over the libraries without LibTorch or Qt; the
    # whole suite under ASan is a longer, documented run (docs/reliability.md).
    [ -f build/asan-core/build.ninja ] || cmake --preset asan-core > /dev/null
    cmake --build --preset asan-core
    ctest --preset asan-core --timeout 600 -j2
    # Every parser of outside input under libFuzzer for a few seconds each.
    tests/fuzz/run-fuzzers.sh "${CHRYSALIS_FUZZ_SECONDS:-5}"
    ;;
  run)
    demo="$here/resources/demo"
    args=()
    for s in "$demo"/*/series.json; do [ -f "$s" ] && args+=("$(dirname "$s")"); done
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
      echo "setup: no display; starting the app under xvfb-run" >&2
      exec xvfb-run -a "build/$preset/app/chrysalis" "${args[@]}"
    fi
    exec "build/$preset/app/chrysalis" "${args[@]}"
    ;;
  *)
    echo "usage: packaging/setup.sh run|test|build" >&2
    exit 2
    ;;
esac
