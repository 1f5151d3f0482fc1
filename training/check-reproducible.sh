#!/usr/bin/env bash
# Re-export every model into a temporary folder and compare it byte for byte with the
# committed files (public/models, training/golden, training/results.md and the README's
# model table between <!-- models:start --> and <!-- models:end -->).
# Exits non-zero when anything differs. Needs the data: DATA_DIR or ../shared/data.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# The temp folder has no README.md, so the pipeline writes the table alone to README.models.md.
/usr/bin/python3 training/train.py --out-dir "$tmp"

status=0
for d in public/models training/golden; do
  if ! diff -r "$d" "$tmp/$d"; then
    echo "check-reproducible: $d differs from a fresh export" >&2
    status=1
  fi
done
if ! cmp training/results.md "$tmp/training/results.md"; then
  echo "check-reproducible: training/results.md differs from a fresh export" >&2
  status=1
fi
if ! sed -n '/^<!-- models:start -->$/,/^<!-- models:end -->$/p' README.md | diff - "$tmp/README.models.md"; then
  echo "check-reproducible: the model table in README.md differs from a fresh export" >&2
  status=1
fi
if [ "$status" -ne 0 ]; then
  echo "sha256 of the fresh export:" >&2
  (cd "$tmp" && sha256sum public/models/* training/golden/*) >&2
  exit 1
fi
echo "check-reproducible: public/models, training/golden, training/results.md and the README model table match a fresh export"
