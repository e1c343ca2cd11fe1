#!/bin/bash
# A stand-in for chrysalis-cli in test_ui_training: prints the JSON events the
# engine would, records its arguments in args.txt beside itself, and on
# SIGTERM says "interrupted" and exits 130 as the trainer does.
printf '%s\n' "$@" > "$(dirname "$0")/args.txt"
trap 'echo "{\"event\":\"interrupted\",\"step\":$i}"; exit 130' TERM
i=0
if [ "$1" = train ]; then
  out="$2"; [ "$2" = --resume ] && out="$3"
  mkdir -p "$out/checkpoints"; echo '{}' > "$out/series.json"
  echo "{\"event\":\"start\",\"series\":\"$out\",\"step\":0,\"steps\":50,\"checkpoint_steps\":[0,50],\"notes\":[\"fake engine\"]}"
  echo "{\"event\":\"checkpoint\",\"step\":0,\"path\":\"$out/checkpoints/step-0000000000.h5\"}"
  echo "a line that is not JSON" >&2
  for i in $(seq 1 50); do
    echo "{\"event\":\"step\",\"step\":$i,\"steps\":50,\"loss\":7.25,\"tokens_per_s\":1000.0,\"eta_s\":3.0}"
    sleep 0.04 & wait $!
  done
  echo "{\"event\":\"checkpoint\",\"step\":50,\"path\":\"$out/checkpoints/step-0000000050.h5\"}"
  echo '{"event":"done","step":50}'
elif [ "$1" = probe ]; then
  echo '{"event":"started","done":0,"total":4,"elapsed":0,"eta":0}'
  for i in 1 2 3 4; do
    sleep 0.05 & wait $!
    echo "{\"event\":\"step_done\",\"step\":$((i*100)),\"done\":$i,\"total\":4,\"elapsed\":1,\"eta\":1}"
  done
  echo '{"event":"finished","done":4,"total":4,"elapsed":1,"eta":0}'
else
  echo "error: unknown command" >&2; exit 2
fi
