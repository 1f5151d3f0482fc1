#!/usr/bin/python3
"""Python side of the Fleet benchmark: what a pandas user would run to rank the device log.

Times, 3 times: pandas.read_csv of DATA_DIR/device_failure.csv, the history features declared in
domains/device.json computed with pandas groupby (vectorised: shift/diff, cumulative sums with
searchsorted window starts, time-based rolling maxima), and predict_proba of device-fleet
refitted as the training code fits it (fitting is not timed). Checks the features against
training/golden/device-fleet-features.json when it exists, and the refit's probabilities against
training/golden/device-fleet-all.txt.gz. Prints one JSON object on stdout.

    /usr/bin/python3 bench/sklearn_fleet.py [--data-dir DIR] [--reps 3]
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "training"))
MODEL_ID = "device-fleet"


def features(df, decl, pd, np):
    """The declared history features of every kept reading, in declaration order.

    Returns (kept frame sorted by device and date, feature matrix). Of two rows for one device and
    day the later one in the file is kept, as the app and the training code do."""
    h = decl["history"]
    dcol, ecol = h["date_column"], h["entity_column"]
    rename = {a: f["name"] for f in decl["fields"] for a in f.get("aliases", [])}
    df = df.rename(columns=rename)
    day = (pd.to_datetime(df[dcol], format="%Y-%m-%d") - pd.Timestamp("1970-01-01")).dt.days.to_numpy()
    df = df.assign(_day=day, _line=np.arange(len(df)) + 2)
    df = df.drop_duplicates([ecol, "_day"], keep="last")
    df = df.sort_values([ecol, "_day"], kind="stable").reset_index(drop=True)
    g = df.groupby(ecol, sort=False)
    code = g.ngroup().to_numpy().astype(np.int64)
    d = df["_day"].to_numpy().astype(np.int64)
    first = g["_day"].transform("first").to_numpy()
    new_entity = np.r_[True, code[1:] != code[:-1]]
    # A window of d days ends at each reading: its start is the first reading of the same device
    # on day >= t-d+1 (key = device * BIG + day keeps searchsorted inside the device).
    big = np.int64(d.max() - d.min() + 10_000)
    key = code * big + (d - d.min())
    start = {}
    cols = []
    for f in h["features"]:
        op, of, n = f["op"], f.get("of"), f.get("days")
        if n is not None and n not in start:
            start[n] = np.searchsorted(key, key - n + 1, side="left")
        x = df[of].to_numpy(dtype=np.float64) if of else None
        if op == "value":
            v = x
        elif op == "diff":
            v = g[of].diff().fillna(0).to_numpy(dtype=np.float64)
        elif op == "days_since_first":
            v = (d - first).astype(np.float64)
        elif op == "days_since_previous":
            v = g["_day"].diff().fillna(0).to_numpy(dtype=np.float64)
        elif op == "window_delta":
            v = x - x[start[n]]
        elif op == "window_increases":
            prev = np.r_[np.nan, x[:-1]]
            inc = ((x > prev) & ~new_entity).astype(np.int64)
            c = np.r_[0, np.cumsum(inc)]
            s = start[n]
            # readings s .. i, but the window's first reading counts only as "other than the
            # device's first" with its own increase: inc already excludes each device's first.
            v = (c[np.arange(len(x)) + 1] - c[s]).astype(np.float64)
        elif op == "window_max":
            idx = pd.to_datetime(d, unit="D")
            r = pd.Series(x, index=idx).groupby(code).rolling(f"{n}D").max()
            v = r.to_numpy(dtype=np.float64)
        else:
            raise SystemExit(f"unknown op {op}")
        cols.append(v)
    return df, np.column_stack(cols)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", default=os.environ.get("DATA_DIR") or os.path.join(REPO, "..", "shared", "data"))
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--fit-jobs", type=int, default=2)
    args = ap.parse_args()

    import numpy as np
    import pandas as pd
    import sklearn

    from prognos_train import models as M

    path = os.path.join(args.data_dir, "device_failure.csv")
    decl = json.load(open(os.path.join(REPO, "domains", "device.json"), encoding="utf-8"))
    mdecl = next(m for m in decl["models"] if m["id"] == MODEL_ID)
    names = [f["name"] for f in decl["history"]["features"]]
    cols = [names.index(f) for f in mdecl["features"]]

    # ---- refit (not timed), on the same features, as training fits it: rows in file order, float64
    t = time.perf_counter()
    df, X = features(pd.read_csv(path), decl, pd, np)
    y = df[decl["data"]["label_column"]].to_numpy()
    order = np.argsort(df["_line"].to_numpy(), kind="stable")
    cand = M.build_candidates(mdecl["recipe"], mdecl["features"], f"{MODEL_ID}.recipe")[0]
    model = M.fit_fixed(cand, np.ascontiguousarray(X[order][:, cols]), y[order], args.fit_jobs)
    M.set_threads(model, 1)
    fit_s = time.perf_counter() - t

    # ---- the features against training's golden rows (data-file case: same lines)
    golden_ok = None
    gpath = os.path.join(REPO, "training", "golden", f"{MODEL_ID}-features.json")
    if os.path.exists(gpath):
        g = json.load(open(gpath, encoding="utf-8"))
        by_line = {int(l): i for i, l in enumerate(df["_line"].to_numpy())}
        worst = 0.0
        for e in g["cases"][0]["expected"]:
            worst = max(worst, float(np.abs(X[by_line[e["line"]]] - np.asarray(e["features"])).max()))
        golden_ok = bool(worst <= 1e-6)

    # ---- the refit against the shipped model's probabilities
    same = None
    apath = os.path.join(REPO, "training", "golden", f"{MODEL_ID}-all.txt.gz")
    p_fit = model.predict_proba(X[:, cols].astype(np.float32))[:, 1]
    if os.path.exists(apath):
        lines = gzip.decompress(open(apath, "rb").read()).decode().rstrip("\n").split("\n")[1:]
        want = {k + 2: float(v) for k, v in enumerate(lines) if v != "-"}
        diff = max(abs(p - want[int(l)]) for p, l in zip(p_fit, df["_line"].to_numpy()))
        same = bool(diff <= 1e-5)

    runs = []
    for _ in range(args.reps):
        t0 = time.perf_counter()
        raw = pd.read_csv(path)
        t1 = time.perf_counter()
        kept, F = features(raw, decl, pd, np)
        t2 = time.perf_counter()
        p = model.predict_proba(F[:, cols].astype(np.float32))[:, 1]
        # today's list: the latest day's devices by risk
        last = kept["_day"].max()
        today = kept.loc[kept["_day"] == last].assign(p=p[kept["_day"].to_numpy() == last]).sort_values("p", ascending=False)
        t3 = time.perf_counter()
        runs.append({"total_ms": (t3 - t0) * 1e3, "read_csv_ms": (t1 - t0) * 1e3, "features_ms": (t2 - t1) * 1e3,
                     "predict_proba_ms": (t3 - t2) * 1e3, "rows": int(len(p)), "today": int(len(today))})
    med = lambda k: statistics.median(r[k] for r in runs)  # noqa: E731
    print(json.dumps({
        "model": MODEL_ID, "file": path, "rows": runs[0]["rows"], "features": len(cols), "fit_s": round(fit_s, 2),
        "features_match_golden": golden_ok, "same_as_shipped": same, "reps": args.reps,
        "median_ms": {k: round(med(k), 1) for k in ("total_ms", "read_csv_ms", "features_ms", "predict_proba_ms")},
        "runs": runs,
        "versions": {"python": sys.version.split()[0], "pandas": pd.__version__, "numpy": np.__version__,
                     "scikit-learn": sklearn.__version__},
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
