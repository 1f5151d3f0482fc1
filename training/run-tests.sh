#!/usr/bin/env bash
# The training pipeline's Python tests; skipped, visibly, where Debian's scikit-learn and onnx are absent.
# scripts/test-deps.mjs (the first and last steps of npm test) checks the same imports.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! /usr/bin/python3 -c 'import sklearn, onnx' 2>/dev/null; then
  echo "SKIPPED training tests: /usr/bin/python3 lacks scikit-learn or onnx (apt-get install -y python3-sklearn python3-onnx python3-pandas)"
  exit 0
fi
/usr/bin/python3 -m unittest discover -s training -p 'test_*.py'
