#!/usr/bin/env bash
# Disk full during training and probing, on a small tmpfs: the engine stops
# with one clear line naming the file it could not write, leaves no temporary
# file, and every checkpoint, training state and probe result already under
# its final name still loads. Several tmpfs sizes make the disk fill at
# different writes (a checkpoint, a training state, a probe result).
# Usage: test_disk_full.sh CHRYSALIS_CLI CORPUS.conllu
# Exits 77 (CTest: skipped) where no tmpfs can be mounted (no root, no user namespaces).
set -uo pipefail
cli=$1 corpus=$2
if [ "${CHRYSALIS_IN_NAMESPACE:-}" != 1 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    unshare -rm true 2>/dev/null || { echo "no tmpfs: not root and no user namespaces"; exit 77; }
    exec unshare -rm env CHRYSALIS_IN_NAMESPACE=1 bash "$0" "$@"
  fi
  # As root, a private mount namespace keeps the mounts away from the machine.
  exec unshare -m env CHRYSALIS_IN_NAMESPACE=1 bash "$0" "$@"
fi

fail() { echo "FAIL: $*" >&2; exit 1; }
work=$(mktemp -d) # outside the tmpfs: logs and the checks' own output
trap 'rm -rf "$work"' EXIT
mnt=$work/mnt
mkdir "$mnt"
mount -t tmpfs -o size=64k tmpfs "$mnt" 2>/dev/null || { echo "cannot mount a tmpfs"; exit 77; }
umount "$mnt"

check_intact() { # check_intact SERIES: every file under a final name loads
  local run=$1
  find "$run" -name '*.tmp-*' | grep -q . && fail "temporary files left: $(find "$run" -name '*.tmp-*')"
  "$cli" info "$run" --json > "$work/info.json" 2> "$work/info.err" || fail "info on $run: $(cat "$work/info.err")"
  for ckpt in "$run"/checkpoints/step-*.h5; do
    [ -e "$ckpt" ] || continue
    step=$((10#$(basename "$ckpt" .h5 | sed 's/step-//')))
    "$cli" attention "$run" --step "$step" --text "the cat sat" --out "$work/att.h5" > /dev/null 2>&1 ||
      fail "checkpoint $ckpt does not load after the disk filled"
  done
}

for size in 400k 900k 1300k 1800k; do
  mount -t tmpfs -o size=$size tmpfs "$mnt"
  "$cli" train "$mnt/run" --preset tiny --data "$corpus" --steps 200 --checkpoint-every 10 \
    --threads 1 > /dev/null 2> "$work/train.err"
  rc=$?
  [ $rc -eq 1 ] || fail "size $size: train exited $rc, not 1: $(tail -3 "$work/train.err")"
  last=$(tail -n 1 "$work/train.err")
  [[ "$last" == "chrysalis-cli: $mnt/run/"* ]] || fail "size $size: the error does not name a file of the run: $last"
  [[ "$last" == *"No space left on device"* || "$last" == *"write failed"* || "$last" == *"disk full"* ]] ||
    fail "size $size: the error does not say the disk is full: $last"
  [ -e "$mnt/run/checkpoints/step-0000000000.h5" ] || [ "$size" = 400k ] || fail "size $size: no checkpoint was kept"
  check_intact "$mnt/run"
  echo "size $size: stopped cleanly with $(ls "$mnt/run/checkpoints" | wc -l) checkpoints kept: $last"
  umount "$mnt"
done

# Probing onto a full disk: results written before stay readable.
mount -t tmpfs -o size=2000k tmpfs "$mnt"
"$cli" train "$mnt/run" --preset tiny --data "$corpus" --steps 40 --checkpoint-every 10 --threads 1 \
  > /dev/null 2>&1 || fail "the probe run's training failed"
free=$(df -k --output=avail "$mnt" | tail -1)
# Leave room for a few probe results only.
dd if=/dev/zero of="$mnt/filler" bs=1k count=$((free - 48)) status=none 2>/dev/null
"$cli" probe-set build --conllu "$corpus" --vocab "$mnt/run/vocab.txt" --max-pieces 32 \
  --max-sentences 200 --out "$work/probe-set.h5" > /dev/null || fail "probe-set build"
"$cli" probe "$mnt/run" --probe-set "$work/probe-set.h5" --probes loss,uas,attn --threads 1 \
  > /dev/null 2> "$work/probe.err"
rc=$?
[ $rc -eq 1 ] || fail "probe on a full disk exited $rc: $(tail -3 "$work/probe.err")"
last=$(tail -n 1 "$work/probe.err")
[[ "$last" == "chrysalis-cli: $mnt/run/"* ]] || fail "probe error does not name a file of the run: $last"
check_intact "$mnt/run"
"$cli" metrics "$mnt/run" --csv > /dev/null 2>&1 || fail "metrics after a failed probe"
echo "probe: stopped cleanly with $(find "$mnt/run/probes" -name 'step-*.h5' | wc -l) results kept: $last"
umount "$mnt"
echo "disk-full ok"
