#!/usr/bin/env bash
# Re-export every model into a temporary folder and compare it with the committed files.
# Byte for byte where bytes are the contract: public/models (ONNX files, manifest.json,
# thresholds.json), training/results.md and the model table of docs/models.md between
# <!-- models:start --> and <!-- models:end -->. The golden JSON files in training/golden are
# compared by structure exactly and by number within 1e-9 + 1e-9 x |value|
# (training/prognos_train/golden_compare.py): their float64 probabilities differ in the last
# digits between processors (the logistic-regression solver runs on another BLAS kernel).
# Other golden files (device-fleet-all.txt.gz) are compared byte for byte.
# Exits non-zero when anything differs. Needs the data: DATA_DIR or ../shared/data.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# The temp folder has no docs/models.md, so the pipeline writes the table alone to models-table.md.
/usr/bin/python3 training/train.py --out-dir "$tmp"

status=0
if ! diff -r public/models "$tmp/public/models"; then
  echo "check-reproducible: public/models differs from a fresh export" >&2
  status=1
fi
if ! /usr/bin/python3 training/prognos_train/golden_compare.py training/golden "$tmp/training/golden"; then
  echo "check-reproducible: training/golden differs from a fresh export beyond the tolerance" >&2
  status=1
fi
if ! cmp training/results.md "$tmp/training/results.md"; then
  echo "check-reproducible: training/results.md differs from a fresh export" >&2
  status=1
fi
if ! sed -n '/^<!-- models:start -->$/,/^<!-- models:end -->$/p' docs/models.md | diff - "$tmp/models-table.md"; then
  echo "check-reproducible: the model table in docs/models.md differs from a fresh export" >&2
  status=1
fi
if [ "$status" -ne 0 ]; then
  echo "sha256 of the fresh export:" >&2
  (cd "$tmp" && sha256sum public/models/* training/golden/*) >&2
  exit 1
fi
echo "check-reproducible: public/models, training/results.md and the model table of docs/models.md match a fresh export byte for byte; training/golden matches within 1e-9 + 1e-9 x |value|"
