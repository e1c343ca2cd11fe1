#!/usr/bin/env bash
# Fails when a tracked C++ or CUDA file differs from .clang-format's layout
# (Debian 12's clang-format 14). Run by `packaging/setup.sh test`; fix with
#   git ls-files '*.cpp' '*.h' '*.cu' '*.cuh' | xargs clang-format -i
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
files=$(git ls-files '*.cpp' '*.h' '*.cu' '*.cuh')
if ! echo "$files" | xargs clang-format --dry-run --Werror 2>/tmp/chrysalis-format.$$; then
  grep -o '^[^:]*:' /tmp/chrysalis-format.$$ | sort -u | sed 's/:$//; s/^/  /' >&2
  echo "check-format: the files above differ from .clang-format (clang-format -i fixes them)" >&2
  rm -f /tmp/chrysalis-format.$$
  exit 1
fi
rm -f /tmp/chrysalis-format.$$
echo "check-format: $(echo "$files" | wc -l) files follow .clang-format"
