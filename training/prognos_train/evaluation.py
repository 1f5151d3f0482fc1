"""Metrics, threshold choice and the chart tables stored in the manifest.

Decision rule everywhere (as in the app): predicted positive iff P(class 1) >= threshold.
PR AUC is scikit-learn's average_precision_score (step-wise, no interpolation).
"""
from __future__ import annotations

import math

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    confusion_matrix,
    f1_score,
    matthews_corrcoef,
    precision_recall_curve,
    precision_score,
    recall_score,
    roc_auc_score,
    roc_curve,
)

METRIC_NAMES = ["roc_auc", "pr_auc", "mcc", "f1", "accuracy", "precision", "sensitivity", "specificity", "flag_rate"]
MAX_CURVE_POINTS = 200


def rnd(x: float, sig: int = 6) -> float:
    """Round to `sig` significant digits, so the JSON is short and stable."""
    x = float(x)
    if x == 0.0 or not math.isfinite(x):
        return 0.0 if x == 0.0 else x
    return float(f"{x:.{sig}g}")


def confusion(y: np.ndarray, p: np.ndarray, threshold: float) -> dict:
    pred = (p >= threshold).astype(int)
    tn, fp, fn, tp = confusion_matrix(y, pred, labels=[0, 1]).ravel()
    return {"tn": int(tn), "fp": int(fp), "fn": int(fn), "tp": int(tp)}


def binary_metrics(y: np.ndarray, p: np.ndarray, threshold: float) -> dict:
    pred = (p >= threshold).astype(int)
    c = confusion(y, p, threshold)
    spec_den = c["tn"] + c["fp"]
    return {
        "roc_auc": float(roc_auc_score(y, p)),
        "pr_auc": float(average_precision_score(y, p)),
        "mcc": float(matthews_corrcoef(y, pred)),
        "f1": float(f1_score(y, pred, zero_division=0)),
        "accuracy": float(accuracy_score(y, pred)),
        "precision": float(precision_score(y, pred, zero_division=0)),
        "sensitivity": float(recall_score(y, pred, zero_division=0)),
        "specificity": float(c["tn"] / spec_den) if spec_den else 0.0,
        "flag_rate": float(pred.mean()),
    }


def mcc_best_threshold(y: np.ndarray, p: np.ndarray) -> float:
    """Threshold maximising MCC of (p >= t) on these (inner, out-of-fold) predictions.

    Candidates cut between consecutive distinct predicted values; the returned threshold is
    the midpoint of the cut, so the choice does not hinge on exact float ties. Ties in MCC
    go to the highest threshold (fewest rows flagged).
    """
    y = np.asarray(y, dtype=np.int64)
    p = np.asarray(p, dtype=np.float64)
    order = np.argsort(-p, kind="mergesort")
    ps, ys = p[order], y[order]
    last = np.r_[np.flatnonzero(ps[1:] != ps[:-1]), len(ps) - 1]  # last index of each distinct value
    tp = np.cumsum(ys)[last].astype(np.float64)
    fp = (last + 1 - tp).astype(np.float64)
    P, N = float(ys.sum()), float(len(ys) - ys.sum())
    fn, tn = P - tp, N - fp
    den = np.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    with np.errstate(invalid="ignore", divide="ignore"):
        mcc = np.where(den > 0, (tp * tn - fp * fn) / den, 0.0)
    k = int(np.argmax(mcc))
    hi = ps[last[k]]
    lo = ps[last[k + 1]] if k + 1 < len(last) else 0.0
    t = (hi + lo) / 2.0
    # Short decimal strictly inside (lo, hi] when one exists, for a readable manifest.
    for sig in range(3, 18):
        r = float(f"{t:.{sig}g}")
        if lo < r <= hi:
            return r
    return float(t)


def _thin(xs: np.ndarray, ys: np.ndarray, n: int = MAX_CURVE_POINTS) -> np.ndarray:
    """Indices of at most n points spread evenly along the curve's length (ends kept)."""
    m = len(xs)
    if m <= n:
        return np.arange(m)
    seg = np.hypot(np.diff(xs), np.diff(ys))
    d = np.r_[0.0, np.cumsum(seg)]
    targets = np.linspace(0.0, d[-1], n)
    idx = np.unique(np.clip(np.searchsorted(d, targets), 0, m - 1))
    idx = np.unique(np.r_[0, idx, m - 1])
    while len(idx) > n:  # unique() can keep n+1 after adding the ends
        idx = np.delete(idx, len(idx) // 2)
    return idx


def roc_points(y, p) -> list:
    fpr, tpr, _ = roc_curve(y, p)
    return [{"fpr": rnd(fpr[i]), "tpr": rnd(tpr[i])} for i in _thin(fpr, tpr)]


def pr_points(y, p) -> list:
    precision, recall, _ = precision_recall_curve(y, p)
    # sklearn lists them from high to low recall; store by increasing recall.
    precision, recall = precision[::-1], recall[::-1]
    return [{"recall": rnd(recall[i]), "precision": rnd(precision[i])} for i in _thin(recall, precision)]


def calibration_table(y, p, bins: int = 10) -> list:
    out = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        mask = (p >= lo) & ((p < hi) if b < bins - 1 else (p <= hi))
        n = int(mask.sum())
        out.append({
            "bin_lo": rnd(lo), "bin_hi": rnd(hi), "count": n,
            "mean_predicted": rnd(p[mask].mean()) if n else None,
            "observed": rnd(y[mask].mean()) if n else None,
        })
    return out


def threshold_table(y, p, model_threshold: float) -> list:
    """Precision, recall and flag rate at a set of thresholds.

    Thresholds: 0.05 .. 0.95 in steps of 0.05, the thresholds that flag about
    0.05 %, 0.1 %, ... 50 % of rows (useful when probabilities are small), and the model's
    own threshold. Thresholds that flag no row are left out, except the model's.
    """
    grid = {rnd(k / 20) for k in range(1, 20)}
    for rate in (0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5):
        grid.add(rnd(float(np.quantile(p, 1.0 - rate))))
    grid.add(float(model_threshold))
    P = max(int(y.sum()), 1)
    rows = []
    for t in sorted(grid):
        flagged = p >= t
        nf = int(flagged.sum())
        if nf == 0 and t != model_threshold:
            continue
        tp = int((flagged & (y == 1)).sum())
        rows.append({
            # the model's own threshold exactly (e.g. 0.5000000000000001 for the seed models)
            "threshold": float(t) if t == model_threshold else rnd(t),
            "precision": rnd(tp / nf) if nf else 0.0,
            "recall": rnd(tp / P),
            "flag_rate": rnd(nf / len(p)),
        })
    return rows


def summarise(values: list) -> dict:
    """mean and sample sd (ddof = 1) of per-split values."""
    a = np.asarray(values, dtype=np.float64)
    return {"mean": rnd(a.mean()), "sd": rnd(a.std(ddof=1)) if len(a) > 1 else None}


def chart_tables(y, p, threshold: float) -> dict:
    y = np.asarray(y, dtype=np.int64)
    p = np.asarray(p, dtype=np.float64)
    return {
        "roc": roc_points(y, p),
        "pr": pr_points(y, p),
        "calibration": calibration_table(y, p),
        "confusion": confusion(y, p, threshold),
        "threshold_table": threshold_table(y, p, threshold),
    }
