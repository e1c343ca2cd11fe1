#!/usr/bin/env bash
# Regenerates the bundled demo series in resources/demo from resources/demo/data
# with one command (docs/demo.md says what it shows):
#   packaging/demo/make-demo.sh            # uses build/release/app/chrysalis-cli
# Two runs of the `demo` preset on the same data and seed: a baseline and SAS-
# (the syntactic regularizer suppressing attention to dependency parents).
# Each is probed on every checkpoint (loss, UAS, attention shape, TwoNN,
# n-gram windows, a BLiMP subset); weights are kept for a few log-spaced steps.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$here"
cli="${CHRYSALIS_CLI:-$here/build/release/app/chrysalis-cli}"
data="$here/resources/demo/data"
out="$here/resources/demo"
work="${CHRYSALIS_DEMO_WORK:-$(mktemp -d)}"
mkdir -p "$work"
threads="${CHRYSALIS_THREADS:-1}" # per process: two run at once
steps="${CHRYSALIS_DEMO_STEPS:-2000}"
lambda="${CHRYSALIS_DEMO_LAMBDA:-0.01}" # batch 32 holds far fewer pairs than the paper's 256 x 512

train() { # train NAME LABEL SCHEDULE-ARGS...
  local name="$1" label="$2"; shift 2
  echo "== training $name"
  "$cli" train "$work/$name" --data "$data/ewt-train-demo.conllu" --preset demo --steps "$steps" \
    --seed 1 --threads "$threads" --weights-dtype f16 --label "$label" "$@"
}
# The two runs train side by side, one thread each (2 cores).
train baseline "baseline" --schedule baseline > "$work/baseline.log" 2>&1 & p1=$!
train sas-minus "SAS− (λ=$lambda)" --schedule sas- --lambda "$lambda" > "$work/sas-minus.log" 2>&1 & p2=$!
wait $p1 && wait $p2 || { tail "$work"/*.log; exit 1; }
tail -n 2 "$work/baseline.log" "$work/sas-minus.log"

echo "== probe set"
"$cli" probe-set build --conllu "$data/ewt-dev-demo.conllu" --vocab "$work/baseline/vocab.txt" \
  --max-sentences 300 --max-pieces 128 --seed 0 --out "$work/probe-set.h5"

probe() {
  local run="$1"
  # Every checkpoint: loss, UAS, attention shape, TwoNN, n-gram windows.
  "$cli" probe "$work/$run" --probe-set "$work/probe-set.h5" --probes loss,uas,attn,twonn,ngram \
    --min-relation-count 20 --twonn-points 300 --ngram-positions 1 --threads "$threads" \
    > "$work/probe-$run.log" 2>&1
  # BLiMP (pseudo-log-likelihood: one forward per wordpiece) on every 4th checkpoint and the last.
  local steps
  steps=$("$cli" info --json "$work/$run" | python3 -c 'import json,sys
s=[c["step"] for c in json.load(sys.stdin)["checkpoints"]]
print(",".join(map(str, sorted(set(s[::4] + [s[-1]])))))')
  "$cli" probe "$work/$run" --probe-set "$work/probe-set.h5" --probes blimp --blimp "$data/blimp" \
    --blimp-per-task 10 --steps "$steps" --threads "$threads" >> "$work/probe-$run.log" 2>&1
  "$cli" prune-weights "$work/$run" --keep-steps "0,$steps"
  rm -rf "$work/$run/train-state"
}
echo "== probing"
probe baseline & p1=$!
probe sas-minus & p2=$!
wait $p1 && wait $p2 || { tail "$work"/probe-*.log; exit 1; }

for run in baseline sas-minus; do
  rm -rf "${out:?}/$run"
  cp -r "$work/$run" "$out/$run"
done
cp "$work/probe-set.h5" "$out/probe-set.h5"
"$cli" onsets "$out/baseline" || true
"$cli" onsets "$out/sas-minus" || true
du -sh "$out"
