#!/usr/bin/env bash
# Fault injection: kill -9 the trainer and the prober at random moments, many
# times, then let them finish (train --resume; probe again). Afterwards every
# file under a final name must be complete, and the checkpoints and probe
# results must equal an uninterrupted run's. Prints kills survived and results
# lost (must be 0); temporaries left by killed writers are counted, not failed. Usage:
#   tests/fault/fault-injection.sh CHRYSALIS_CLI CORPUS.conllu [TRIALS] [SEED]
# CTest runs 2 trials; docs/reliability.md records a long run (e.g. 25 trials).
set -uo pipefail
cli=$1 corpus=$2 trials=${3:-2} seed=${4:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
RANDOM=$seed
fail() { echo "FAIL: $*" >&2; exit 1; }
args=(--preset tiny --data "$corpus" --steps 120 --checkpoint-every 10 --threads 1 --seed 3)
probe_args=(--probes loss,uas,attn --min-relation-count 3 --threads 1)

# An uninterrupted reference: training, then probing.
"$cli" train "$work/ref" "${args[@]}" > /dev/null 2>&1 || fail "reference training"
"$cli" probe-set build --conllu "$corpus" --vocab "$work/ref/vocab.txt" --max-pieces 32 \
  --max-sentences 80 --out "$work/probe-set.h5" > /dev/null || fail "probe set"
cp -r "$work/ref" "$work/ref-unprobed"
"$cli" probe "$work/ref" --probe-set "$work/probe-set.h5" "${probe_args[@]}" > /dev/null 2>&1 ||
  fail "reference probing"

# Compares two series: same checkpoints with identical tensors, same probe
# results with identical values (NaN == NaN). Prints what differs.
# (Files under final names only: temporaries are what listings ignore.)
compare() {
  /usr/bin/python3 - "$1" "$2" <<'PY'
import sys, os, glob, h5py, numpy as np
a, b = sys.argv[1], sys.argv[2]
def files(root, pattern):
    return sorted(os.path.relpath(p, root) for p in glob.glob(os.path.join(root, pattern), recursive=True))
bad = []
for pattern in ("checkpoints/step-*.h5", "probes/*/step-*.h5"):
    fa, fb = files(a, pattern), files(b, pattern)
    if fa != fb:
        bad.append(f"{pattern}: {sorted(set(fa) ^ set(fb))}")
        continue
    for rel in fa:
        with h5py.File(os.path.join(a, rel), "r") as x, h5py.File(os.path.join(b, rel), "r") as y:
            def visit(name, obj):
                if isinstance(obj, h5py.Dataset):
                    u, v = obj[()], y[name][()]
                    same = (np.array_equal(u, v, equal_nan=True)
                            if np.asarray(u).dtype.kind == "f" else np.array_equal(u, v))
                    if not same:
                        bad.append(f"{rel}:{name}")
            x.visititems(visit)
# A kill -9 mid-write may leave a *.tmp-* file: readers ignore them and no result
# is lost, so they are counted (stderr), not failures. They are not deleted
# automatically: on a shared file system another node may still be writing one.
leftovers = glob.glob(os.path.join(a, "**", "*.tmp-*"), recursive=True)
if leftovers:
    print(f"note: {len(leftovers)} temporary file(s) left by killed writers", file=sys.stderr)
print("\n".join(bad[:20]))
sys.exit(1 if bad else 0)
PY
}

kills=0 lost=0
random_kill() { echo "$((RANDOM % 2)).$((RANDOM % 10))$((RANDOM % 10))"; } # 0.00-1.99 s
for ((t = 1; t <= trials; t++)); do
  # The trainer, killed up to 3 times, then resumed to the end.
  run="$work/train-$t"
  for attempt in 1 2 3 4; do
    if [ $attempt -le 3 ]; then kill_cmd=(timeout -s KILL "$(random_kill)"); else kill_cmd=(); fi
    if [ -f "$run/series.json" ]; then
      ("${kill_cmd[@]}" "$cli" train --resume "$run" > /dev/null 2>&1) 2> /dev/null
    else
      rm -rf "$run" # killed before the series existed: start again
      ("${kill_cmd[@]}" "$cli" train "$run" "${args[@]}" > /dev/null 2>&1) 2> /dev/null
    fi
    rc=$?
    [ $rc -eq 137 ] && kills=$((kills + 1))
    [ $rc -eq 0 ] && break
    [ $rc -eq 137 ] || fail "trial $t: train exited $rc"
  done
  [ $rc -eq 0 ] || fail "trial $t: training did not finish"
  # The training state is not part of the comparison; the series is.
  rm -rf "$run/train-state" && cp -r "$work/ref-unprobed/train-state" "$run/" 2>/dev/null
  diff=$(compare "$run" "$work/ref-unprobed") || { lost=$((lost + 1)); echo "trial $t training differs: $diff"; }

  # The prober, killed up to 3 times, then run to the end.
  run="$work/probe-$t"
  cp -r "$work/ref-unprobed" "$run"
  for attempt in 1 2 3 4; do
    if [ $attempt -le 3 ]; then kill_cmd=(timeout -s KILL "$(random_kill)"); else kill_cmd=(); fi
    ("${kill_cmd[@]}" "$cli" probe "$run" --probe-set "$work/probe-set.h5" "${probe_args[@]}" > /dev/null 2>&1) 2> /dev/null
    rc=$?
    [ $rc -eq 137 ] && kills=$((kills + 1))
    [ $rc -eq 0 ] && break
    [ $rc -eq 137 ] || fail "trial $t: probe exited $rc"
  done
  [ $rc -eq 0 ] || fail "trial $t: probing did not finish"
  diff=$(compare "$run" "$work/ref") || { lost=$((lost + 1)); echo "trial $t probing differs: $diff"; }
  rm -rf "$work/train-$t" "$run"
done
echo "fault injection: $trials trials, $kills kills survived, $lost runs with lost or different results"
[ $lost -eq 0 ]
