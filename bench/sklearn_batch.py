#!/usr/bin/python3
"""scikit-learn side of the batch benchmark: the shipped device-rf, refitted, scoring the device file.

Refits device-rf exactly as training/train.py fits the shipped model (the candidate the
pipeline chose, fitted on all rows by prognos_train.models.fit_fixed, random_state 0),
checks it against training/golden/device-rf.json, then times, 3 times, what a Python user
would run to score the file: pandas.read_csv + selecting the model's columns +
predict_proba. Fitting is not timed. Prints one JSON object on stdout.

    /usr/bin/python3 bench/sklearn_batch.py [--data-dir DIR] [--reps 3] [--smoke]

The data file, the model's features and their column names come from domains/device.json.
--smoke: one repetition and no comparison of timings (npm test runs it, so that it cannot rot).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "training"))

MODEL_ID = "device-rf"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", default=os.environ.get("DATA_DIR") or os.path.join(REPO, "..", "shared", "data"))
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--fit-jobs", type=int, default=2, help="threads for fitting (the fitted model does not depend on it)")
    ap.add_argument("--smoke", action="store_true", help="one repetition: that it runs, not how fast")
    args = ap.parse_args()
    if args.smoke:
        args.reps = 1

    import numpy as np
    import pandas as pd
    import sklearn
    from threadpoolctl import threadpool_info

    from prognos_train import models as M
    from prognos_train.data import load
    from prognos_train.domains import load_domains

    # What the file holds and which columns the model reads: the one declaration (domains/device.json).
    domain = next(d for d in load_domains(os.path.join(REPO, "domains")) if d.id == "device")
    mdecl = next(m for m in domain.models if m.id == MODEL_ID)
    path = os.path.join(args.data_dir, domain.data_file)
    manifest = json.load(open(os.path.join(REPO, "public", "models", "manifest.json"), encoding="utf-8"))
    entry = next(m for m in manifest["models"] if m["id"] == MODEL_ID)
    golden = json.load(open(os.path.join(REPO, "training", "golden", f"{MODEL_ID}.json"), encoding="utf-8"))

    # ---- refit, as pipeline.run does for finals["device-rf"]
    t = time.perf_counter()
    ds = load(domain, args.data_dir)
    cols_idx = [ds.features.index(f) for f in mdecl.features]
    X_fit = ds.X[:, cols_idx]
    if ds.sha256 != entry["training_data"]["sha256"]:
        print(f"warning: {path} differs from the file the shipped model was trained on", file=sys.stderr)
    cands = [c for c in M.build_candidates(mdecl.recipe, mdecl.features, f"{MODEL_ID}.recipe") if c.description == entry["family"]]
    if len(cands) != 1:
        raise SystemExit(f"error: no {MODEL_ID} candidate matches the manifest family {entry['family']!r}")
    cand = cands[0]
    model = M.fit_fixed(cand, X_fit, ds.y, args.fit_jobs)
    fit_s = time.perf_counter() - t
    M.set_threads(model, 1)  # as the pipeline predicts (and sklearn's default n_jobs=None)

    # ---- same model as the shipped one: golden probabilities, bit for bit
    gin = np.asarray(golden["inputs"], dtype=np.float64)
    gp = np.asarray(golden["probabilities"], dtype=np.float64)
    diff = float(np.abs(model.predict_proba(gin) - gp).max())
    same = diff <= 1e-12

    # ---- timed: read + select + predict_proba, as a user scoring the file would
    # Each field's column as the file names it (its own name or a declared alias).
    fields = {f.name: f for f in domain.fields}
    header = pd.read_csv(path, nrows=0).columns
    cols = [next(c for c in fields[f].columns if c in header) for f in mdecl.features]
    runs = []
    for _ in range(args.reps):
        t0 = time.perf_counter()
        df = pd.read_csv(path)
        t1 = time.perf_counter()
        X = df[cols].to_numpy(dtype=np.float64)
        t2 = time.perf_counter()
        p = model.predict_proba(X)[:, 1]
        t3 = time.perf_counter()
        runs.append({"total_ms": (t3 - t0) * 1e3, "read_csv_ms": (t1 - t0) * 1e3, "select_ms": (t2 - t1) * 1e3,
                     "predict_proba_ms": (t3 - t2) * 1e3, "rows": int(len(p))})

    # the same with both cores, for reference (sklearn forests can predict in parallel)
    M.set_threads(model, 2)
    par = []
    for _ in range(args.reps):
        df = pd.read_csv(path)
        t0 = time.perf_counter()
        model.predict_proba(df[cols].to_numpy(dtype=np.float64))
        par.append((time.perf_counter() - t0) * 1e3)

    med = lambda k: statistics.median(r[k] for r in runs)  # noqa: E731
    out = {
        "model": MODEL_ID,
        "candidate": cand.name,
        "file": path,
        "rows": runs[0]["rows"],
        "fit_s": round(fit_s, 2),
        "golden_rows": int(len(gp)),
        "golden_max_abs_diff": diff,
        "same_as_shipped": same,
        "reps": args.reps,
        "median_ms": {k: round(med(k), 1) for k in ("total_ms", "read_csv_ms", "select_ms", "predict_proba_ms")},
        "runs": [{k: (round(v, 1) if isinstance(v, float) else v) for k, v in r.items()} for r in runs],
        "predict_proba_2_threads_median_ms": round(statistics.median(par), 1),
        "versions": {"python": sys.version.split()[0], "pandas": pd.__version__, "numpy": np.__version__,
                     "scikit-learn": sklearn.__version__},
        "blas": [{k: i.get(k) for k in ("internal_api", "num_threads", "architecture")} for i in threadpool_info()],
        "env": {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ},
    }
    print(json.dumps(out))
    return 0 if same else 3


if __name__ == "__main__":
    sys.exit(main())
