"""Evaluation protocols, parameterised by a domain's `evaluation` declaration.

- repeated-holdout: `repetitions` stratified splits (train_test_split, test_size,
  random_state 0..repetitions-1); mean and sd over the repetitions.
- grouped-kfold: StratifiedGroupKFold(folds) on the group column (no group in both training
  and test); mean = value on the pooled out-of-fold predictions, sd over the folds.
- kfold: the same with StratifiedKFold, for data without groups.

Every non-seed model's whole training procedure (selection by inner CV, see models.py) runs
inside each outer training part; seed models are fitted with their fixed threshold. The
result per model id: metrics, pooled labels and probabilities (for the charts), the
thresholds and candidates chosen in the outer parts, and split 0's held-out predictions.
"""
from __future__ import annotations

import time

import numpy as np
from joblib import Parallel, delayed
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold, train_test_split

from . import models as M
from .evaluation import METRIC_NAMES, binary_metrics, rnd, summarise


def log(t0, msg):
    print(f"[{time.time() - t0:6.1f}s] {msg}", flush=True)


def take_columns(X: np.ndarray, cols: list) -> np.ndarray:
    """X's columns `cols`. A run of adjacent columns is a view (X[:, a:b]), as the earlier
    hand-written slices were, so the final fits see the same memory layout and give the same bits."""
    if cols == list(range(cols[0], cols[0] + len(cols))):
        return X[:, cols[0]:cols[0] + len(cols)]
    return X[:, cols]


def inner_cv(evaluation, grouped: bool):
    cls = StratifiedGroupKFold if grouped else StratifiedKFold
    return cls(n_splits=evaluation.inner_folds, shuffle=True, random_state=M.SEED)


def outer_cv(evaluation, grouped: bool):
    cls = StratifiedGroupKFold if grouped else StratifiedKFold
    return cls(n_splits=evaluation.folds, shuffle=True, random_state=M.SEED)


class Plan:
    """What the protocol fits for one model: its columns of the data, candidates and inner CV."""

    def __init__(self, model, cols: list, candidates: list, cv):
        self.model = model
        self.id, self.seed, self.parallel_fit = model.id, model.seed, model.parallel_fit
        self.cols, self.candidates, self.cv = cols, candidates, cv

    def fit(self, Xm, y, groups=None, threads: int = 1) -> M.Fitted:
        """The model's training procedure on these rows; Xm holds the model's columns only."""
        if self.seed:
            cand = self.candidates[0]
            return M.Fitted(cand, M.fit_fixed(cand, Xm, y, threads), M.SEED_THRESHOLD)
        return M.select_and_fit(self.candidates, Xm, y, self.cv, groups,
                                threads=threads if self.parallel_fit else 1)

    def held_out(self, X, y, groups, tr, te, threads: int = 1) -> tuple:
        """(P(class 1) on the test rows, threshold, chosen candidate name) after training on tr."""
        Xm = take_columns(X, self.cols)  # columns first, then rows: a contiguous copy per part
        f = self.fit(Xm[tr], y[tr], None if groups is None else groups[tr], threads)
        return M.p1(f.model, Xm[te]), f.threshold, f.candidate.name


def _count(names) -> dict:
    out = {}
    for n in names:
        out[n] = out.get(n, 0) + 1
    return out


# ---------------------------------------------------------------- repeated holdout


def _holdout_rep(rep: int, X, y, plans: list, test_size: float) -> dict:
    """One outer split: every model's held-out predictions and thresholds."""
    tr, te = train_test_split(np.arange(len(y)), test_size=test_size, stratify=y, random_state=rep)
    out = {"test": te}
    for plan in plans:
        out[plan.id] = plan.held_out(X, y, None, tr, te)
    return out


def repeated_holdout(ds, evaluation, plans: list, jobs: int, t0) -> dict:
    reps = Parallel(n_jobs=jobs)(
        delayed(_holdout_rep)(r, ds.X, ds.y, plans, evaluation.test_size) for r in range(evaluation.repetitions)
    )
    res = {}
    for plan in plans:
        mid = plan.id
        per = [binary_metrics(ds.y[r["test"]], r[mid][0], r[mid][1]) for r in reps]
        res[mid] = {
            "metrics": {k: summarise([m[k] for m in per]) for k in METRIC_NAMES},
            "pooled_y": np.concatenate([ds.y[r["test"]] for r in reps]),
            "pooled_p": np.concatenate([r[mid][0] for r in reps]),
            "pooled_rows": np.concatenate([r["test"] for r in reps]),  # the data row of each prediction
            "thresholds": [r[mid][1] for r in reps],
            "chosen": _count(r[mid][2] for r in reps),
            "split0": (ds.y[reps[0]["test"]], reps[0][mid][0], reps[0][mid][1]),
        }
    return res


# ---------------------------------------------------------------- k-fold (grouped or stratified)


def kfold(ds, evaluation, plans: list, jobs: int, t0) -> dict:
    X, y, g = ds.X, ds.y, ds.groups
    folds = list(outer_cv(evaluation, g is not None).split(X, y, g))
    p = {pl.id: np.zeros(len(y)) for pl in plans}
    thr = {pl.id: np.zeros(len(y)) for pl in plans}
    per = {pl.id: [] for pl in plans}
    names = {pl.id: [] for pl in plans}
    split0 = {}
    for i, (tr, te) in enumerate(folds):
        for pl in plans:
            pk, tk, name = pl.held_out(X, y, g, tr, te, threads=jobs)
            p[pl.id][te], thr[pl.id][te] = pk, tk
            per[pl.id].append(binary_metrics(y[te], pk, tk))
            names[pl.id].append(name)
            if i == 0:
                split0[pl.id] = (y[te], pk, tk)
        log(t0, f"{ds.name} outer fold {i + 1}/{len(folds)}: " + ", ".join(f"{k} chose {v[-1]}" for k, v in names.items()))
    res = {}
    for pl in plans:
        k = pl.id
        pooled = binary_metrics(y, p[k], thr[k])  # each row at its own fold's threshold
        res[k] = {
            "metrics": {m: {"mean": rnd(pooled[m]), "sd": summarise([f[m] for f in per[k]])["sd"]} for m in METRIC_NAMES},
            "pooled_y": y,
            "pooled_p": p[k],
            "pooled_rows": np.arange(len(y)),
            "thresholds": sorted({float(t) for t in thr[k]}),
            "chosen": _count(names[k]),
            "split0": split0[k],
        }
    return res


PROTOCOLS = {"repeated-holdout": repeated_holdout, "grouped-kfold": kfold, "kfold": kfold}


def evaluate(ds, domain, plans: list, jobs: int, t0) -> dict:
    return PROTOCOLS[domain.evaluation.kind](ds, domain.evaluation, plans, jobs, t0)


def summary(domain) -> str:
    """One sentence for results.md saying what mean and sd are for this domain."""
    ev, name = domain.evaluation, domain.id.capitalize()
    if ev.kind == "repeated-holdout":
        test = round(ev.test_size * 100)
        return f"{name}: over {ev.repetitions} stratified {100 - test}/{test} splits."
    kind = "grouped" if ev.kind == "grouped-kfold" else "stratified"
    return f"{name}: pooled out-of-fold value ± sd over the {ev.folds} {kind} folds."
