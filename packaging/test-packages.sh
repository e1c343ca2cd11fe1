#!/usr/bin/env bash
# Checks the packages made by make-packages.sh the way a user meets them:
#  1. apt can satisfy the .deb's declared dependencies from Debian 12 (a simulated
#     `apt-get install ./chrysalis_*.deb`: it resolves against the archive without
#     changing this machine);
#  2. the files sit in the standard places and the .desktop / AppStream files validate;
#  3. the package unpacked into a throw-away root runs: the engine reads the bundled
#     demo, the app exports a figure of it offscreen, the completion loads;
#  4. the engine archive runs the same engine checks on its own.
# Why not a real install into a chroot: that needs debootstrap, network and root
# for minutes per run; the simulated install checks the dependency list and the
# unpacked root checks the files and that the binaries run from their installed
# layout (docs/guide.md, "Installing").
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "${1:-$here/build/release}" && pwd)"
packages="$build/packages"
deb=$(ls "$packages"/chrysalis_*.deb)
archive=$(ls "$packages"/chrysalis-engine-*.tar.gz)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
fail() { echo "test-packages: FAIL: $*" >&2; exit 1; }
step() { echo "test-packages: $*"; }

step "dependencies of $(basename "$deb")"
depends=$(dpkg-deb -f "$deb" Depends)
for needed in libtorch1.13 libhdf5-103-1 libqt6charts6 libqt6svg6 libopenblas0-pthread; do
  [[ "$depends" == *"$needed"* ]] || fail "Depends lacks $needed: $depends"
done
apt-get install -s -qq "$deb" > "$root/apt.log" 2>&1 || { cat "$root/apt.log"; fail "apt cannot install $deb"; }

step "installed layout"
listing=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in ./usr/bin/chrysalis ./usr/bin/chrysalis-cli \
         ./usr/share/applications/org.chrysalis.Chrysalis.desktop \
         ./usr/share/icons/hicolor/scalable/apps/org.chrysalis.Chrysalis.svg \
         ./usr/share/metainfo/org.chrysalis.Chrysalis.metainfo.xml \
         ./usr/share/bash-completion/completions/chrysalis-cli \
         ./usr/share/chrysalis/demo/baseline/series.json ./usr/share/chrysalis/demo/probe-set.h5 \
         ./usr/share/chrysalis/slurm/probe-array.sbatch ./usr/share/doc/chrysalis/guide.md; do
  grep -qxF "$f" <<< "$listing" || fail "$f is not in the package"
done
dpkg -x "$deb" "$root/fs"
desktop-file-validate "$root/fs/usr/share/applications/org.chrysalis.Chrysalis.desktop"
appstreamcli validate --no-net --pedantic "$root/fs/usr/share/metainfo/org.chrysalis.Chrysalis.metainfo.xml" > /dev/null

for bin in "$root"/fs/usr/bin/*; do
  ldd "$bin" | grep -q "not found" && fail "$bin has unresolved libraries: $(ldd "$bin" | grep 'not found')"
  readelf -d "$bin" | grep -qE 'RPATH|RUNPATH' && fail "$bin carries a build-tree RPATH"
done

check_engine() { # check_engine PATH/TO/chrysalis-cli DEMO
  local cli=$1 demo=$2
  "$cli" --version | grep -q '^chrysalis-cli ' || fail "$cli --version"
  "$cli" info "$demo/baseline" | grep -q 'checkpoints' || fail "$cli info on the demo"
  "$cli" metrics "$demo/baseline" --csv > "$root/metrics.csv" || fail "$cli metrics"
  # One row per checkpoint of the installed demo (every one is probed).
  local want
  want=$(find "$demo/baseline/checkpoints" -name 'step-*.h5' | wc -l)
  [ "$want" -ge 12 ] || fail "the installed demo has only $want checkpoints"
  [ "$(grep -cE '^[0-9]' "$root/metrics.csv")" -eq "$want" ] ||
    fail "$cli metrics: not one row per checkpoint ($want)"
  bash -c "source '$3' && complete -p chrysalis-cli" > /dev/null || fail "completion does not load"
}

step "the unpacked .deb runs"
check_engine "$root/fs/usr/bin/chrysalis-cli" "$root/fs/usr/share/chrysalis/demo" \
  "$root/fs/usr/share/bash-completion/completions/chrysalis-cli"
QT_QPA_PLATFORM=offscreen "$root/fs/usr/bin/chrysalis" --export figure --step 1000 --format svg \
  --out "$root/figure.svg" "$root/fs/usr/share/chrysalis/demo/baseline" \
  "$root/fs/usr/share/chrysalis/demo/sas-minus" || fail "chrysalis --export from the package"
grep -q '<svg' "$root/figure.svg" || fail "the exported figure is not an SVG"
[ -s "$root/figure-timeline.csv" ] || fail "no CSV beside the exported figure"

step "the engine archive runs"
mkdir "$root/engine"
tar -xzf "$archive" -C "$root/engine"
[ ! -e "$root/engine/bin/chrysalis" ] || fail "the engine archive contains the GUI"
check_engine "$root/engine/bin/chrysalis-cli" "$root/fs/usr/share/chrysalis/demo" \
  "$root/engine/share/bash-completion/completions/chrysalis-cli"
step "ok"
