#!/usr/bin/env bash
# The generated bash completion offers every subcommand and every option that
# `--help` lists, completes nested commands, and offers paths after options
# that take a value. Usage: test_completion.sh path/to/chrysalis-cli
set -euo pipefail
cli=$1
script=$(mktemp)
trap 'rm -f "$script"' EXIT
"$cli" completion bash > "$script"
bash -n "$script"
# shellcheck disable=SC1090
source "$script"

complete_words() { # complete_words WORD... : completes the last word
  COMP_WORDS=("$@")
  COMP_CWORD=$(($# - 1))
  COMPREPLY=()
  _chrysalis_cli
  printf '%s\n' "${COMPREPLY[@]}" | sort
}

fail() { echo "FAIL: $*" >&2; exit 1; }

# Every subcommand in --help is offered at the root.
expected=$("$cli" --help | sed -n '/^Subcommands:/,$p' | awk 'NR > 1 && NF { print $1 }' | sort)
got=$(complete_words chrysalis-cli "")
[ "$expected" = "$got" ] || fail "root subcommands: expected [$expected] got [$got]"

# A prefix narrows them.
got=$(complete_words chrysalis-cli pro | tr '\n' ' ')
[ "$got" = "probe probe-set " ] || fail "prefix 'pro': got [$got]"

# Every long option of each subcommand's --help is offered.
for sub in probe train onsets info; do
  expected=$("$cli" "$sub" --help | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
  got=$(complete_words chrysalis-cli "$sub" SERIES -- | sort -u)
  missing=$(comm -23 <(echo "$expected") <(echo "$got"))
  [ -z "$missing" ] || fail "$sub options missing from completion: $missing"
done

# The probe order options, --first-step included (the GUI's cursor step first).
got=$(complete_words chrysalis-cli probe x --first | tr '\n' ' ')
[ "$got" = "--first-step " ] || fail "probe --first: got [$got]"

# Nested commands.
got=$(complete_words chrysalis-cli probe-set "" | tr '\n' ' ')
[ "$got" = "build info " ] || fail "probe-set: got [$got]"

# After an option taking a value, paths; after a flag, not the flag's value slot.
dir=$(mktemp -d)
mkdir "$dir/runs-baseline"
got=$(cd "$dir" && complete_words chrysalis-cli probe x --probe-set runs-)
[ "$got" = "runs-baseline" ] || fail "path after --probe-set: got [$got]"
got=$(cd "$dir" && complete_words chrysalis-cli info --json --j)
[ "$got" = "--json" ] || fail "option after a flag: got [$got]"
rm -rf "$dir"
echo "completion ok"
