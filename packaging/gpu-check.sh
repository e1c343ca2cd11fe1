#!/usr/bin/env bash
# One prepared check for a GPU node (docs/performance.md, "GPU"): configures
# the engine-only preset against PyTorch's bundled LibTorch, builds
# chrysalis-cli, the CUDA kernels (chrysalis_gpu) and their tests (test_gpu),
# runs the tests and prints a table: test, result, time. Nothing else is
# built, so it fits well inside 10 minutes on a 16-core node.
#
#   packaging/gpu-check.sh                  # from the repository root or anywhere
#   CHRYSALIS_DEPS_PREFIX=$HOME/deps packaging/gpu-check.sh   # HDF5 etc. unpacked with dpkg -x
#
# Environment: PYTHON (an interpreter with torch; default /usr/bin/python3,
# then python3), CUDACXX (nvcc; default from PATH or /usr/local/cuda/bin),
# CHRYSALIS_DEPS_PREFIX (a folder holding Debian packages unpacked with
# `dpkg -x`), JOBS (build jobs; default nproc), OUT (where the test XML and
# logs go; default build/engine/gpu-check). Exit status: 0 when every test
# passed (skips count as passed), 1 otherwise.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root" || exit 1
build="$root/build/engine"
out="${OUT:-$build/gpu-check}"
mkdir -p "$out"
jobs="${JOBS:-$(nproc)}"
t0=$SECONDS
say() { printf '[gpu-check %4ds] %s\n' $((SECONDS - t0)) "$*"; }
die() { say "FAILED: $*"; exit 1; }

# --- what is here -------------------------------------------------------------
py=""
for p in "${PYTHON:-}" /usr/bin/python3 python3; do
  [ -n "$p" ] && "$p" -c 'import torch' >/dev/null 2>&1 && { py="$p"; break; }
done
[ -n "$py" ] || die "no Python with torch (set PYTHON=/path/to/python)"
torch_prefix="$("$py" -c 'import torch; print(torch.utils.cmake_prefix_path)')"
say "torch: $("$py" -c 'import torch; print(torch.__version__, "CUDA", torch.version.cuda, "GPU available:", torch.cuda.is_available())')"
say "torch cmake prefix: $torch_prefix"

nvcc="${CUDACXX:-$(command -v nvcc || true)}"
[ -z "$nvcc" ] && [ -x /usr/local/cuda/bin/nvcc ] && nvcc=/usr/local/cuda/bin/nvcc
[ -n "$nvcc" ] || die "no nvcc (set CUDACXX=/path/to/nvcc): the kernels need a CUDA compiler"
say "nvcc: $nvcc ($("$nvcc" --version | tail -1))"
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=name,compute_cap,memory.total,driver_version --format=csv,noheader |
    while read -r line; do say "GPU: $line"; done
else
  say "no nvidia-smi: the GPU tests will probably skip"
fi

prefix_path="$torch_prefix"
extra=()
if [ -n "${CHRYSALIS_DEPS_PREFIX:-}" ]; then
  d="$CHRYSALIS_DEPS_PREFIX/usr"
  multiarch="$d/lib/$(gcc -dumpmachine 2>/dev/null || echo x86_64-linux-gnu)"
  prefix_path="$prefix_path;$d"
  [ -d "$multiarch/hdf5/serial" ] &&
    extra+=("-DHDF5_ROOT=$multiarch/hdf5/serial" -DHDF5_NO_FIND_PACKAGE_CONFIG_FILE=ON)
  export PKG_CONFIG_PATH="$multiarch/pkgconfig:$d/share/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
  export LD_LIBRARY_PATH="$multiarch:$multiarch/hdf5/serial${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  say "extra dependencies from $CHRYSALIS_DEPS_PREFIX"
fi

# --- configure and build ------------------------------------------------------
say "configuring (preset engine-only) ..."
if ! timeout 180 cmake --preset engine-only -DCMAKE_PREFIX_PATH="$prefix_path" -DCMAKE_CUDA_COMPILER="$nvcc" \
  -DCHRYSALIS_BUILD_BENCHMARKS=OFF "${extra[@]}" >"$out/configure.log" 2>&1; then
  tail -40 "$out/configure.log"
  die "configure (log: $out/configure.log; missing packages: see docs/performance.md, GPU)"
fi
grep -E "gpu/:" "$out/configure.log" | while read -r line; do say "$line"; done
grep -q "gpu/: building chrysalis_gpu" "$out/configure.log" || die "gpu/ is not built: see $out/configure.log"

say "building chrysalis-cli chrysalis_gpu test_gpu with $jobs jobs ..."
if ! timeout 390 cmake --build "$build" --target chrysalis-cli chrysalis_gpu test_gpu -j "$jobs" \
  >"$out/build.log" 2>&1; then
  grep -E "error|FAILED" "$out/build.log" | head -30
  tail -20 "$out/build.log"
  die "build (log: $out/build.log)"
fi
say "built; chrysalis-cli: $("$build/app/chrysalis-cli" --version 2>&1 | head -1)"

# --- run ------------------------------------------------------------------------
say "running test_gpu ..."
timeout 240 "$build/tests/gpu/test_gpu" --gtest_output="xml:$out/test_gpu.xml" >"$out/test_gpu.log" 2>&1
rc=$?
grep -E "^\[ device|Failure|Expected|Which is|actual|seed|worst" "$out/test_gpu.log" | head -40
[ -s "$out/test_gpu.xml" ] || { tail -30 "$out/test_gpu.log"; die "test_gpu wrote no results (exit $rc)"; }

"$py" - "$out/test_gpu.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
rows = []
for case in ET.parse(sys.argv[1]).getroot().iter("testcase"):
    name = f'{case.get("classname")}.{case.get("name")}'
    if case.find("failure") is not None:
        result = "FAIL"
    elif case.find("skipped") is not None or case.get("result") == "skipped" or case.get("status") == "notrun":
        result = "skip"
    else:
        result = "pass"
    rows.append((name, result, float(case.get("time", 0))))
w = max(len(r[0]) for r in rows)
print(f'{"test".ljust(w)}  result  time (s)')
for name, result, t in rows:
    print(f'{name.ljust(w)}  {result:6}  {t:8.3f}')
counts = {k: sum(1 for r in rows if r[1] == k) for k in ("pass", "skip", "FAIL")}
print(f'{counts["pass"]} passed, {counts["skip"]} skipped, {counts["FAIL"]} failed')
PY
say "done in $((SECONDS - t0)) s; logs and XML in $out"
[ "$rc" -eq 0 ] || die "test_gpu exited $rc"
