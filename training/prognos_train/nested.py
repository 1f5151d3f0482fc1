"""Nested threshold figures: each test part judged at the threshold chosen without it.

The cards' confusion matrix and threshold table apply the shipped threshold (chosen on all
rows) to out-of-fold predictions whose labels helped choose it: optimistic. Here every test
part (a fold, or a split of the repeated holdout) is judged at the threshold its own training
part chose, and the spread of those thresholds says whether a probability threshold is stable.
For models whose probabilities are not calibrated, a threshold by rank ("flag the top 1 %")
is evaluated the same way and compared.

Writes public/models/thresholds.json (what the app shows) and training/golden/oof-<model>.json
(per row: label, probability, part id; per part: its threshold) from which the tests recompute
every figure. Probabilities are rounded to 6 decimals first and all figures are computed from
the rounded values, so the recomputation is exact.
"""
from __future__ import annotations

import json
import os
from contextlib import contextmanager

import numpy as np

from . import protocols as P

# A threshold is "unstable" when its parts' thresholds range over more than this share of
# their median (device-rf: 0.69 .. 0.89, a range of 25 % of the median).
UNSTABLE_RANGE_SHARE = 0.2
# Probabilities are "not calibrated" when their mean is this many times off the positive rate.
CALIBRATION_FACTOR = 2.0
RANK_RATES = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2)
DECIMALS = 6
# Card notes that must not change the manifest (the declaration's texts go into it), by model id.
NOTES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "threshold-notes.json")


@contextmanager
def recording():
    """Record (model id, test rows, threshold) of every held-out fit made in this process.

    The k-fold protocols fit in this process; the repeated holdout fits in worker processes,
    but its result already lists each split's threshold in split order."""
    calls, original = [], P.Plan.held_out

    def held_out(self, X, y, groups, tr, te, threads=1):
        out = original(self, X, y, groups, tr, te, threads)
        calls.append((self.id, np.asarray(te), float(out[1])))
        return out

    P.Plan.held_out = held_out
    try:
        yield calls
    finally:
        P.Plan.held_out = original


def evaluate(ds, domain, plans: list, jobs: int, t0, parts: dict) -> dict:
    """protocols.evaluate; fills `parts` with each model's (y, p, part id, part thresholds)."""
    with recording() as calls:
        res = P.evaluate(ds, domain, plans, jobs, t0)
    for plan in plans:
        r = res[plan.id]
        if domain.evaluation.kind == "repeated-holdout":
            n = len(r["pooled_y"]) // len(r["thresholds"])
            part = np.repeat(np.arange(len(r["thresholds"])), n)
            parts[plan.id] = (r["pooled_y"], r["pooled_p"], part, [float(t) for t in r["thresholds"]], r["pooled_rows"])
        else:
            mine = [(te, t) for mid, te, t in calls if mid == plan.id]
            part = np.full(len(ds.y), -1)
            for k, (te, _) in enumerate(mine):
                part[te] = k
            parts[plan.id] = (r["pooled_y"], r["pooled_p"], part, [t for _, t in mine], None)
    return res


def counts(y, flagged) -> dict:
    tp = int((flagged & (y == 1)).sum())
    fp = int((flagged & (y == 0)).sum())
    fn = int((~flagged & (y == 1)).sum())
    return {"tp": tp, "fp": fp, "fn": fn, "tn": int(len(y)) - tp - fp - fn}


def figures(c: dict) -> dict:
    """Precision, recall, flag rate and MCC from confusion counts (0 where undefined)."""
    tp, fp, fn, tn = c["tp"], c["fp"], c["fn"], c["tn"]
    n = tp + fp + fn + tn
    den = np.sqrt(float(tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return {
        **c,
        "precision": round(tp / (tp + fp), 6) if tp + fp else 0.0,
        "recall": round(tp / (tp + fn), 6) if tp + fn else 0.0,
        "flag_rate": round((tp + fp) / n, 6) if n else 0.0,
        "mcc": round((tp * tn - fp * fn) / den, 6) if den else 0.0,
    }


def spread(values: list) -> dict:
    v = np.asarray(values, dtype=float)
    return {"min": round(float(v.min()), 6), "max": round(float(v.max()), 6), "median": round(float(np.median(v)), 6),
            "sd": round(float(v.std(ddof=1)) if len(v) > 1 else 0.0, 6)}


def per_part(y, part, flagged, n_parts: int) -> list:
    return [figures(counts(y[part == k], flagged[part == k])) for k in range(n_parts)]


def model_figures(y, p, part, thresholds: list, shipped: float) -> dict:
    n_parts = len(thresholds)
    t_row = np.asarray(thresholds)[part]
    nested_flag = p >= t_row
    parts = per_part(y, part, nested_flag, n_parts)
    t_spread = spread(thresholds)
    share = (t_spread["max"] - t_spread["min"]) / t_spread["median"] if t_spread["median"] > 0 else float("inf")
    calibration_ratio = float(p.mean()) / max(float(y.mean()), 1e-12)
    out = {
        "parts": n_parts,
        "nested": figures(counts(y, nested_flag)),
        "nested_parts": {k: spread([f[k] for f in parts]) for k in ("precision", "recall", "flag_rate", "mcc")},
        "pooled": figures(counts(y, p >= shipped)),
        "fold_thresholds": [round(t, 6) for t in thresholds],
        "threshold_spread": {**t_spread, "range_share": round(share, 6)},
        "unstable": bool(share > UNSTABLE_RANGE_SHARE),
        "mean_probability": round(float(p.mean()), 6),
        "positive_rate": round(float(y.mean()), 6),
        "calibrated": bool(1 / CALIBRATION_FACTOR <= calibration_ratio <= CALIBRATION_FACTOR),
    }
    if not out["calibrated"]:
        out["rank"] = [rank_figures(y, p, part, n_parts, rate) for rate in RANK_RATES]
    return out


def rank_figures(y, p, part, n_parts: int, rate: float) -> dict:
    """Flag the top `rate` of each test part's rows. Ties at the cut are flagged too, unless
    that would flag over twice the share asked (a tree's few distinct values): then only the
    rows above the cut."""
    flagged = np.zeros(len(y), dtype=bool)
    for k in range(n_parts):
        idx = np.flatnonzero(part == k)
        if len(idx) == 0:
            continue
        take = max(1, int(round(rate * len(idx))))
        cut = np.sort(p[idx])[::-1][take - 1]
        at_or_above = p[idx] >= cut
        flagged[idx] = at_or_above if at_or_above.sum() <= 2 * take else p[idx] > cut
    parts = per_part(y, part, flagged, n_parts)
    return {"rate": rate, **figures(counts(y, flagged)),
            "parts": {k: spread([f[k] for f in parts]) for k in ("precision", "recall", "flag_rate", "mcc")}}


def write(out_dir: str, domains: list, parts: dict, finals: dict, version: str) -> None:
    """thresholds.json beside the manifest, and one oof-<model>.json per model in training/golden."""
    with open(NOTES) as f:
        notes = json.load(f)
    models = []
    for d in domains:
        for m in d.models:
            y, p, part, thresholds, rows = parts[m.id]
            p = np.round(np.asarray(p, dtype=float), DECIMALS)
            y = np.asarray(y, dtype=int)
            shipped = float(finals[m.id].threshold)
            models.append({"id": m.id, "version": version, "protocol": d.evaluation.kind, "threshold": shipped,
                           "notes": notes.get(m.id, []), **model_figures(y, p, part, thresholds, shipped)})
            with open(os.path.join(out_dir, "training", "golden", f"oof-{m.id}.json"), "w") as f:
                doc = {"model": m.id, "threshold": shipped, "part_thresholds": thresholds,
                       "y": "".join(str(v) for v in y), "part": part.tolist(), "p": [float(v) for v in p]}
                if rows is not None:  # repeated holdout: the data row of each prediction (k-fold: in row order)
                    doc["row"] = [int(v) for v in rows]
                json.dump(doc, f, separators=(",", ":"))
                f.write("\n")
    doc = {"schema_version": 1, "unstable_range_share": UNSTABLE_RANGE_SHARE,
           "calibration_factor": CALIBRATION_FACTOR, "models": models}
    with open(os.path.join(out_dir, "public", "models", "thresholds.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
