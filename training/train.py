#!/usr/bin/python3
"""Prognos training pipeline.

Reads the domain declarations (domains/<id>.json) and each domain's data, evaluates every
declared model with its domain's protocol, fits the shipped models on all rows, exports
them to ONNX and writes public/models/manifest.json, the golden predictions in
training/golden/, training/results.md and the model table of docs/models.md. Same data and
library versions -> same bytes.

    /usr/bin/python3 training/train.py [--domains-dir DIR] [--data-dir DIR] [--out-dir DIR] [--jobs N]
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
        "--domains-dir", default=os.path.join(REPO, "domains"),
        help="folder with the domain declarations, one <id>.json per domain (default: the repo's domains/)",
    )
    ap.add_argument(
        "--data-dir", default=os.environ.get("DATA_DIR") or os.path.join(REPO, "..", "shared", "data"),
        help="folder with the domains' data files (default: $DATA_DIR, else ../shared/data from the repo root)",
    )
    ap.add_argument(
        "--out-dir", default=REPO,
        help="root to write public/models/, training/golden/, training/results.md and docs/models.md's model table "
             "under (default: the repo; a folder without docs/models.md gets models-table.md)",
    )
    ap.add_argument("--jobs", type=int, default=2, help="worker processes/threads (results do not depend on it)")
    return ap.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    # Imported here so that --help works without the scientific stack.
    from prognos_train.data import DataError, load
    from prognos_train.domains import DomainError, load_domains
    from prognos_train.models import RECIPES
    from prognos_train.pipeline import run

    t0 = time.time()
    try:
        domains = load_domains(os.path.abspath(args.domains_dir), RECIPES)
        datasets = {d.id: load(d, args.data_dir) for d in domains}  # every file checked before any work
    except (DomainError, DataError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    loaded = ", ".join(f"{ds.file} ({ds.rows} rows)" for ds in datasets.values())
    print(f"[{time.time() - t0:6.1f}s] loaded {len(domains)} domain(s): {loaded}", flush=True)
    try:
        run(domains, datasets, os.path.abspath(args.out_dir), jobs=max(1, args.jobs), t0=t0)
    except DomainError as e:  # a recipe's own parameters (checked when its candidates are built)
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"[{time.time() - t0:6.1f}s] done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
