#!/usr/bin/python3
"""Prognos training pipeline.

Reads the two data sets, evaluates the six models (heart: 100 x stratified 80/20 split;
device: 5-fold CV grouped by device), fits the shipped models on all rows, exports them
to ONNX and writes public/models/manifest.json, the golden predictions in
training/golden/ and training/results.md. Same data and library versions -> same bytes.

    /usr/bin/python3 training/train.py [--data-dir DIR] [--out-dir DIR] [--jobs N]
"""
from __future__ import annotations

import argparse
import os
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def parse_args(argv):
    ap = argparse.ArgumentParser(description="Train, evaluate and export the Prognos models.")
    ap.add_argument(
        "--data-dir", default=os.environ.get("DATA_DIR") or os.path.join(REPO, "..", "shared", "data"),
        help="folder with the two CSV files (default: $DATA_DIR, else ../shared/data from the repo root)",
    )
    ap.add_argument(
        "--out-dir", default=REPO,
        help="root to write public/models/, training/golden/ and training/results.md under (default: the repo)",
    )
    ap.add_argument("--jobs", type=int, default=2, help="worker processes/threads (results do not depend on it)")
    return ap.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    # Imported here so that --help works without the scientific stack.
    from prognos_train.data import DataError, load_device, load_heart
    from prognos_train.pipeline import run

    t0 = time.time()
    try:
        heart = load_heart(args.data_dir)
        device = load_device(args.data_dir)
    except DataError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"[{time.time() - t0:6.1f}s] loaded {heart.file} ({heart.rows} rows) and {device.file} ({device.rows} rows)", flush=True)
    run(heart, device, os.path.abspath(args.out_dir), jobs=max(1, args.jobs), t0=t0)
    print(f"[{time.time() - t0:6.1f}s] done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
