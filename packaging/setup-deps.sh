#!/usr/bin/env bash
# Installs the Debian 12 packages Chrysalis needs to build, test and run.
# Idempotent: asks apt only for what is missing, so a second run takes a second.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  qt6-base-dev qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libgl-dev
  libhdf5-dev libtorch-dev libopenblas0-pthread libgloo-dev
  nlohmann-json3-dev libcli11-dev libutf8proc-dev libxxhash-dev zlib1g-dev libgtest-dev libbenchmark-dev
  python3-torch python3-h5py python3-numpy
  clang libclang-rt-14-dev clang-format
  xvfb xauth
  dpkg-dev file fakeroot appstream desktop-file-utils
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
