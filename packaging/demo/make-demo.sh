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
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
threads="${CHRYSALIS_THREADS:-2}"
steps="${CHRYSALIS_DEMO_STEPS:-2000}"
lambda="${CHRYSALIS_DEMO_LAMBDA:-0.01}" # batch 32 holds far fewer pairs than the paper's 256 x 512

train() { # train NAME LABEL SCHEDULE-ARGS...
  local name="$1" label="$2"; shift 2
  echo "== training $name"
  "$cli" train "$work/$name" --data "$data/ewt-train-demo.conllu" --preset demo --steps "$steps" \
    --seed 1 --threads "$threads" --weights-dtype f16 --label "$label" "$@"
}
train baseline "baseline" --schedule baseline
train sas-minus "SAS− (λ=$lambda)" --schedule sas- --lambda "$lambda"

echo "== probe set"
"$cli" probe-set build --conllu "$data/ewt-dev-demo.conllu" --vocab "$work/baseline/vocab.txt" \
  --max-sentences 300 --max-pieces 128 --seed 0 --out "$work/probe-set.h5"

for run in baseline sas-minus; do
  echo "== probing $run"
  "$cli" probe "$work/$run" --probe-set "$work/probe-set.h5" --probes loss,uas,attn,twonn,ngram,blimp \
    --blimp "$data/blimp" --blimp-per-task 10 --min-relation-count 20 --twonn-points 300 \
    --ngram-positions 1 --threads "$threads"
  "$cli" prune-weights "$work/$run" --keep-log 3
  rm -rf "$work/$run/train-state"
done

for run in baseline sas-minus; do
  rm -rf "${out:?}/$run"
  cp -r "$work/$run" "$out/$run"
done
cp "$work/probe-set.h5" "$out/probe-set.h5"
"$cli" onsets "$out/baseline" || true
"$cli" onsets "$out/sas-minus" || true
du -sh "$out"
