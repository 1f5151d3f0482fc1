"""Evidence for one prediction and for the TRIPOD+AI card, all out of fold (issue 22).

From the out-of-fold predictions the evaluation already makes (nested.py writes them to
training/golden/oof-<id>.json), this module computes:

- one out-of-fold probability per patient (row): the mean of the held-out predictions the
  row received (repeated holdout: the splits whose test part held it, about 20 of 100;
  k-fold: its one fold), so intervals count patients, not predictions;
- a declared neighbourhood lookup ("similar patients"): for a grid of risks, the patients
  whose out-of-fold risk lies within `band` of it, their number, their events and a Wilson
  95 % interval;
- a Venn-ABERS interval for a risk (inductive Venn-ABERS: isotonic regression of the
  outcome on the per-row out-of-fold scores, refitted with the new score labelled 0 and 1),
  and its validity measured on held-out rows (10-fold cross-validation over rows);
- calibration intercept (calibration-in-the-large) and slope, with Wald 95 % intervals;
- ROC AUC of the per-row probabilities with a Hanley-McNeil 95 % interval, and the 2.5 to
  97.5 percentiles of the per-part ROC AUC;
- a decision curve (net benefit against treat-all and treat-none);
- subgroup figures (N, events, observed and mean predicted risk, ROC AUC).

Everything is a pure function of (y, p, ...) so that the tests recompute it from the OOF files.
"""
from __future__ import annotations

import math

import numpy as np
from scipy.stats import rankdata
from sklearn.model_selection import StratifiedKFold

Z95 = 1.959963984540054
MAX_STEP = 5.0  # Newton steps longer than this (in log-odds) are shortened to it
DECIMALS = 6


def r6(x) -> float | None:
    return None if x is None or not math.isfinite(float(x)) else round(float(x), DECIMALS)


# ---------------------------------------------------------------- one probability per row


def per_row(rows: np.ndarray, p: np.ndarray, n_rows: int) -> tuple:
    """(mean held-out probability per row, number of held-out predictions per row)."""
    rows = np.asarray(rows, dtype=np.int64)
    count = np.bincount(rows, minlength=n_rows)
    total = np.bincount(rows, weights=np.asarray(p, dtype=float), minlength=n_rows)
    if (count == 0).any():
        raise ValueError(f"{int((count == 0).sum())} rows were never held out")
    return np.round(total / count, DECIMALS), count


# ---------------------------------------------------------------- intervals


def wilson(k: int, n: int, z: float = Z95) -> tuple:
    """Wilson score interval for k events in n (0, 1 when n = 0)."""
    if n == 0:
        return 0.0, 1.0
    ph = k / n
    den = 1 + z * z / n
    centre = (ph + z * z / (2 * n)) / den
    half = z * math.sqrt(ph * (1 - ph) / n + z * z / (4 * n * n)) / den
    return max(0.0, centre - half), min(1.0, centre + half)


def grid_of(step: float) -> np.ndarray:
    n = int(round(1 / step))
    return np.round(np.arange(n + 1) * step, 10)


def neighbourhood(p: np.ndarray, y: np.ndarray, band: float, step: float, small_n: int) -> dict:
    """For each grid risk g: the rows whose out-of-fold risk is within `band` of g (inclusive)."""
    out = []
    for g in grid_of(step):
        m = np.abs(p - g) <= band + 1e-12
        n, k = int(m.sum()), int(y[m].sum())
        lo, hi = wilson(k, n)
        out.append({"risk": r6(g), "n": n, "events": k, "low": r6(lo), "high": r6(hi),
                    "min_risk": r6(p[m].min()) if n else None, "max_risk": r6(p[m].max()) if n else None})
    return {"band": band, "step": step, "small_n": small_n, "interval": "Wilson score, 95 %", "rows": out}


# ---------------------------------------------------------------- the interval of one risk


def band_interval(cal_s: np.ndarray, cal_y: np.ndarray, s: float, band: float) -> tuple:
    """Wilson 95 % interval of the event rate among the calibration rows whose risk is within `band` of s:
    what such a risk turned out to mean (calibration) with the uncertainty of that many rows (sampling)."""
    m = np.abs(cal_s - s) <= band + 1e-12
    return wilson(int(cal_y[m].sum()), int(m.sum()))


def _held_out_intervals(s: np.ndarray, y: np.ndarray, band: float, folds: int, seed: int) -> tuple:
    """Each row's interval from the other folds' rows only (the band is declared, not chosen on the data)."""
    lo, hi, fold = np.zeros(len(y)), np.zeros(len(y)), np.zeros(len(y), dtype=int)
    for k, (tr, te) in enumerate(StratifiedKFold(folds, shuffle=True, random_state=seed).split(s.reshape(-1, 1), y)):
        fold[te] = k
        for i in te:
            lo[i], hi[i] = band_interval(s[tr], y[tr], s[i], band)
    return np.round(lo, DECIMALS), np.round(hi, DECIMALS), fold


def interval_validity(s: np.ndarray, y: np.ndarray, band: float, folds: int = 10, groups: int = 5,
                      repeats: int = 20) -> dict:
    """The interval's validity on held-out rows: `folds`-fold cross-validation over rows, rows sorted by
    the interval's midpoint into `groups` groups; is each group's observed rate inside its mean interval.
    The first split (random_state 0) is written in full, with each row's fold; `repeats` splits
    (random_state 0 .. repeats - 1) give the share of groups inside over all of them."""
    assert folds <= 10  # one digit per row in "fold"
    lo, hi, fold = _held_out_intervals(s, y, band, folds, 0)
    table = validity_table(y, lo, hi, groups)
    inside = table["inside"] + sum(validity_table(y, *_held_out_intervals(s, y, band, folds, r)[:2], groups)["inside"]
                                   for r in range(1, repeats))
    return table | {"folds": folds, "fold": "".join(str(v) for v in fold),
                    "repeats": {"splits": repeats, "groups": repeats * groups, "inside": int(inside)}}


def validity_table(y: np.ndarray, lo_: np.ndarray, hi_: np.ndarray, groups: int) -> dict:
    mid = (lo_ + hi_) / 2
    order = np.lexsort((np.arange(len(y)), mid))
    rows = []
    for part in np.array_split(order, groups):
        n, k = len(part), int(y[part].sum())
        lo, hi = float(lo_[part].mean()), float(hi_[part].mean())
        obs = k / n
        wl, wh = wilson(k, n)
        rows.append({"n": n, "events": k, "observed": r6(obs), "mean_low": r6(lo), "mean_high": r6(hi),
                     "inside": bool(lo - 1e-9 <= obs <= hi + 1e-9), "wilson_overlaps": bool(wl <= hi and wh >= lo)})
    obs = float(y.mean())
    return {
        "groups": rows,
        "inside": sum(r["inside"] for r in rows),
        "overlapping": sum(r["wilson_overlaps"] for r in rows),
        "overall": {"n": int(len(y)), "events": int(y.sum()), "observed": r6(obs), "mean_low": r6(lo_.mean()),
                    "mean_high": r6(hi_.mean()), "inside": bool(lo_.mean() - 1e-9 <= obs <= hi_.mean() + 1e-9)},
        "mean_width": r6((hi_ - lo_).mean()),
    }


# ---------------------------------------------------------------- calibration, discrimination


def _logit(p: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    q = np.clip(p, eps, 1 - eps)
    return np.log(q / (1 - q))


def _loglik(X, y, offset, b) -> float:
    eta = X @ b + offset
    return float(np.sum(y * eta - np.logaddexp(0.0, eta)))


def _logistic(X: np.ndarray, y: np.ndarray, offset: np.ndarray, iters: int = 200) -> tuple:
    """Unpenalised logistic regression by Newton's method with step halving (the log-likelihood
    never decreases, so scores of exactly 0 or 1 cannot make it diverge): (coefficients, SEs)."""
    b = np.zeros(X.shape[1])
    ll = _loglik(X, y, offset, b)
    for _ in range(iters):
        mu = 0.5 * (1 + np.tanh(0.5 * (X @ b + offset)))  # the logistic function, without overflow
        H = X.T @ (X * (mu * (1 - mu))[:, None])
        step = np.linalg.lstsq(H, X.T @ (y - mu), rcond=None)[0]
        step *= min(1.0, MAX_STEP / max(float(np.max(np.abs(step))), 1e-300))  # a trust region on the log-odds
        t = 1.0
        while t > 1e-10 and _loglik(X, y, offset, b + t * step) < ll:
            t /= 2
        if t <= 1e-10:
            break  # no step improves the likelihood: at its maximum, up to rounding
        b = b + t * step
        ll = _loglik(X, y, offset, b)
        if np.max(np.abs(t * step)) < 1e-10:
            break
    mu = 0.5 * (1 + np.tanh(0.5 * (X @ b + offset)))
    H = X.T @ (X * (mu * (1 - mu))[:, None])
    return b, np.sqrt(np.abs(np.diag(np.linalg.pinv(H))))


def calibration_fit(y: np.ndarray, p: np.ndarray) -> dict:
    """Intercept: logit P(y) = a + logit(p) (slope fixed at 1); slope: logit P(y) = a + b logit(p)."""
    y = np.asarray(y, dtype=float)
    lp = _logit(np.asarray(p, dtype=float))
    one = np.ones((len(y), 1))
    (a,), (sa,) = _logistic(one, y, lp)
    (_, b), (_, sb) = _logistic(np.c_[one, lp], y, np.zeros(len(y)))
    return {"intercept": r6(a), "intercept_low": r6(a - Z95 * sa), "intercept_high": r6(a + Z95 * sa),
            "slope": r6(b), "slope_low": r6(b - Z95 * sb), "slope_high": r6(b + Z95 * sb)}


def roc_auc(y: np.ndarray, p: np.ndarray) -> float | None:
    """Mann-Whitney ROC AUC (ties count one half); None without both classes."""
    y = np.asarray(y)
    n_pos = int((y == 1).sum())
    n_neg = len(y) - n_pos
    if n_pos == 0 or n_neg == 0:
        return None
    ranks = rankdata(p)
    return float((ranks[y == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def hanley_mcneil(auc: float, n_pos: int, n_neg: int) -> tuple:
    q1, q2 = auc / (2 - auc), 2 * auc * auc / (1 + auc)
    var = (auc * (1 - auc) + (n_pos - 1) * (q1 - auc * auc) + (n_neg - 1) * (q2 - auc * auc)) / (n_pos * n_neg)
    se = math.sqrt(max(var, 0.0))
    return max(0.0, auc - Z95 * se), min(1.0, auc + Z95 * se)


def discrimination(y: np.ndarray, p: np.ndarray, pooled_y, pooled_p, part) -> dict:
    auc = roc_auc(y, p)
    lo, hi = hanley_mcneil(auc, int(y.sum()), int(len(y) - y.sum()))
    per = [roc_auc(pooled_y[part == k], pooled_p[part == k]) for k in np.unique(part)]
    per = np.array([a for a in per if a is not None])
    return {"roc_auc": r6(auc), "low": r6(lo), "high": r6(hi), "interval": "Hanley-McNeil, 95 %",
            "parts": int(len(per)), "parts_p2_5": r6(np.percentile(per, 2.5)),
            "parts_p97_5": r6(np.percentile(per, 97.5))}


def calibration_bins(y: np.ndarray, p: np.ndarray, bins: int = 10) -> list:
    """Rows sorted by risk into `bins` groups of (nearly) equal size."""
    order = np.lexsort((np.arange(len(y)), p))
    out = []
    for part in np.array_split(order, bins):
        k, n = int(y[part].sum()), len(part)
        lo, hi = wilson(k, n)
        out.append({"n": n, "events": k, "mean_predicted": r6(p[part].mean()), "observed": r6(k / n),
                    "low": r6(lo), "high": r6(hi)})
    return out


# ---------------------------------------------------------------- decision curve, subgroups


def decision_curve(y: np.ndarray, p: np.ndarray, thresholds) -> list:
    n, prev = len(y), float(np.mean(y))
    out = []
    for t in thresholds:
        flag = p >= t
        tp = int((flag & (y == 1)).sum())
        fp = int((flag & (y == 0)).sum())
        w = t / (1 - t)
        out.append({"threshold": r6(t), "net_benefit": r6(tp / n - fp / n * w),
                    "treat_all": r6(prev - (1 - prev) * w), "flagged": tp + fp})
    return out


def thresholds_of(spec) -> list:
    if isinstance(spec, dict):
        n = int(round((spec["to"] - spec["from"]) / spec["step"]))
        return [round(spec["from"] + i * spec["step"], 10) for i in range(n + 1)]
    return [float(t) for t in spec]


def subgroup(name: str, label: str, mask: np.ndarray, y: np.ndarray, p: np.ndarray, entities=None) -> dict:
    ys, ps = y[mask], p[mask]
    n, k = int(mask.sum()), int(ys.sum())
    auc = roc_auc(ys, ps) if n else None
    lo, hi = hanley_mcneil(auc, k, n - k) if auc is not None else (None, None)
    out = {"subgroup": name, "label": label, "n": n, "events": k,
           "observed": r6(k / n) if n else None, "mean_predicted": r6(ps.mean()) if n else None,
           "roc_auc": r6(auc), "roc_auc_low": r6(lo), "roc_auc_high": r6(hi)}
    if entities is not None:
        out["entities"] = int(len(np.unique(entities[mask])))
    return out


def subgroups(spec: list, columns: dict, y: np.ndarray, p: np.ndarray, entities=None) -> list:
    """spec: the declaration's subgroups; columns: field name -> values per row (and "@entity")."""
    out = []
    for s in spec:
        name = s["name"]
        if "prefix_of_entity" in s:
            prefixes = np.array([str(e)[: s["prefix_of_entity"]] for e in entities])
            for v in sorted(set(prefixes.tolist())):
                out.append(subgroup(name, v, prefixes == v, y, p, entities))
        elif "below" in s:
            col = columns[s["field"]]
            out.append(subgroup(name, s["labels"][0], col < s["below"], y, p, entities))
            out.append(subgroup(name, s["labels"][1], col >= s["below"], y, p, entities))
        else:
            col = columns[s["field"]]
            for v, lab in zip(s["values"], s["labels"]):
                out.append(subgroup(name, lab, col == v, y, p, entities))
    return out
