#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, preset "fuzz") and runs each for
# SECONDS (default 10) from a corpus seeded with real files. Any crash fails.
# Long run (docs/reliability.md): tests/fuzz/run-fuzzers.sh 600
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$here"
seconds="${1:-10}"
data="${CHRYSALIS_SHARED_DATA:-$here/../shared/data}"
if [ ! -f build/fuzz/build.ninja ]; then cmake --preset fuzz >/dev/null; fi
cmake --build --preset fuzz
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
seed() { # seed <name> <files...>: copies up to 8 KiB of each file into the corpus
  local dir="$work/$1"; shift
  mkdir -p "$dir"
  local i=0
  for f in "$@"; do
    if [ -f "$f" ]; then head -c 8192 "$f" > "$dir/seed-$((i++))"; fi
  done
}
seed conllu "$data"/ud/*/en_*-ud-dev.conllu
seed blimp "$data"/blimp/adjunct_island.jsonl "$data"/blimp/passive_1.jsonl
seed vocab "$data"/vocab/bert-base-uncased-vocab.txt
seed safetensors tests/fixtures/tiny-bert/checkpoint-*/model.safetensors
seed series_meta tests/fixtures/tiny-bert/checkpoint-100/config.json
mkdir -p "$work/worker_protocol"
echo '{"id":2,"op":"attention","series":"/s","step":1000,"words":["The","cat"]}' > "$work/worker_protocol/seed-0"
echo '{"id":3,"op":"attention","series":"/s","step":5,"text":"The cats","pieces":true}' > "$work/worker_protocol/seed-1"
echo '{"id":4,"op":"ablate","series":"/s","step":40,"probe_set":"/p.h5","heads":"4-1,3-2","mode":"mean","min_relation_count":20}' > "$work/worker_protocol/seed-2"
# engine_events: the lines chrysalis-cli train and probe --json print.
mkdir -p "$work/engine_events"
echo '{"event":"checkpoint","step":500,"path":"/r/checkpoints/step-0000000500.h5"}' > "$work/engine_events/seed-0"
echo '{"event":"step_done","done":3,"total":12,"elapsed":1.5,"eta":4.5,"step":1200}' > "$work/engine_events/seed-1"
echo '{"event":"error","message":"corpus.conllu: line 3"}' > "$work/engine_events/seed-2"
echo '{"event":"densify_done","resumed_from":20,"added":[25,35],"matched":[30,40],"differed":[]}' > "$work/engine_events/seed-3"
# tensor_index: the first byte also sets the claimed file size (4 KiB steps).
mkdir -p "$work/tensor_index"
printf '\x02{"version":1,"tensors":[{"name":"w","dtype":"F32","shape":[4,2],"offset":4000,"xxh3_64":"0123456789abcdef","non_finite":1},{"name":"b","dtype":"BF16","shape":[3],"offset":4032,"xxh3_64":"0123456789abcdef","non_finite":0}]}' > "$work/tensor_index/seed-0"
# json_depth reads a program (3 bytes depth, 1 byte kinds, a leaf): 64, 65 and 150,000 levels.
mkdir -p "$work/json_depth"
printf '\x00\x00\x40\x55"leaf"' > "$work/json_depth/seed-0"
printf '\x00\x00\x41\xaa1' > "$work/json_depth/seed-1"
printf '\x02\x49\xf0\x00[]' > "$work/json_depth/seed-2"
# h5_layouts reads a program (layout, type, size, flags, depth, bytes): one seed per layout.
mkdir -p "$work/h5_layouts"
for layout in 0 1 2 3 4 5; do
  printf "\\x0${layout}\\x00\\x00\\x10\\x01\\x02abcdefgh" > "$work/h5_layouts/seed-$layout"
done
printf '\x02\x00\x00\x40\x02\x00abcd' > "$work/h5_layouts/seed-partial"    # one chunk of five written
printf '\x00\x07\x00\x10\x08\x00abcd' > "$work/h5_layouts/seed-cycle"      # half floats, a hard-link cycle
printf '\x00\x04\x00\x10\x0c\x00abcd' > "$work/h5_layouts/seed-extlink"    # odd exponent bias, an external link
# torch_pickle and zip: files torch.save wrote (Debian's python3-torch), a state dict's
# data.pkl taken out of its archive.
/usr/bin/python3 tests/fixtures/write_torch_checkpoints.py "$work/torch" > /dev/null
mkdir -p "$work/zip" "$work/torch_pickle"  # whole archives: the directory is at the end
cp "$work"/torch/run/checkpoint-100/pytorch_model.bin "$work/zip/seed-0"
cp "$work"/torch/run/checkpoint-300/pytorch_model-00002-of-00002.bin "$work/zip/seed-1"
/usr/bin/python3 - "$work" <<'PY'
import sys, zipfile
w = sys.argv[1]
for i, f in enumerate(["run/checkpoint-100/pytorch_model.bin", "hostile/class-pickle/checkpoint-400/pytorch_model.bin"]):
    z = zipfile.ZipFile(f"{w}/torch/{f}")
    name = next(n for n in z.namelist() if n.endswith("/data.pkl"))
    open(f"{w}/torch_pickle/seed-{i}", "wb").write(z.read(name))
PY
for t in conllu blimp vocab safetensors series_meta worker_protocol engine_events json_depth h5_layouts torch_pickle zip tensor_index; do
  echo "fuzz_$t: ${seconds}s"
  # libFuzzer exits non-zero on a finding and writes crash-* into $work.
  if ! "build/fuzz/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$work/" "$work/$t" > "$work/$t.log" 2>&1; then
    tail -40 "$work/$t.log"
    echo "fuzz_$t: FINDING (input kept in tests/fuzz/findings/)"
    mkdir -p tests/fuzz/findings && cp "$work"/crash-* "$work"/leak-* "$work"/timeout-* tests/fuzz/findings/ 2>/dev/null || true
    exit 1
  fi
  grep -E "stat::number_of_executed_units" "$work/$t.log" || true
done
echo "fuzzing: no findings"
