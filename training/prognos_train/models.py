"""Model definitions, candidate grids and the selection procedure.

select_and_fit() is the whole training procedure of a non-seed model: inner
cross-validation on the training rows it is given picks the candidate with the best
pooled inner out-of-fold ROC AUC (ties: the earlier candidate), the threshold that
maximises MCC on that candidate's inner out-of-fold predictions, then fits the candidate
on all the rows it was given. The evaluation runs it inside every outer training split
(nested), the shipped model runs it once on all rows.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sklearn.base import clone
from sklearn.ensemble import (
    ExtraTreesClassifier,
    GradientBoostingClassifier,
    RandomForestClassifier,
    VotingClassifier,
)
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from sklearn.metrics import roc_auc_score
from sklearn.tree import DecisionTreeClassifier

from .evaluation import mcc_best_threshold
from .onnx_export import SelectColumns

SEED = 0

# heart inputs without `time`, in manifest order
HEART_NO_TIME = [
    "age", "anaemia", "creatinine_phosphokinase", "diabetes", "ejection_fraction",
    "high_blood_pressure", "platelets", "serum_creatinine", "serum_sodium", "sex", "smoking",
]
# Chicco & Jurman (2020) rank serum creatinine and ejection fraction first and age next.
HEART_CORE = ["age", "ejection_fraction", "serum_creatinine"]


@dataclass
class Candidate:
    name: str
    description: str   # goes into the manifest's "family"
    estimator: object  # unfitted
    # For an unweighted soft-voting candidate made of earlier candidates (by name): its inner
    # out-of-fold probability is the mean of theirs (what VotingClassifier.predict_proba computes
    # from identical clones), so the members are not fitted twice during selection.
    members: tuple = ()


@dataclass
class Fitted:
    candidate: Candidate
    model: object
    threshold: float
    inner_auc: dict = field(default_factory=dict)  # candidate name -> pooled inner OOF ROC AUC


def set_threads(est, n_jobs: int):
    """Set n_jobs wherever the estimator has it. Predictions use 1 thread: sklearn forests
    add the trees' probabilities in completion order, so threads could change the last bits."""
    keys = [k for k in est.get_params(deep=True) if k == "n_jobs" or k.endswith("__n_jobs")]
    est.set_params(**{k: n_jobs for k in keys})
    return est


def p1(model, X) -> np.ndarray:
    set_threads(model, 1)
    return model.predict_proba(X)[:, 1]


# ---------------------------------------------------------------- heart


def heart_rf_seed() -> Candidate:
    return Candidate(
        "rf-seed", "RandomForestClassifier, 100 trees, default parameters (random_state=0), 12 inputs including time",
        RandomForestClassifier(n_estimators=100, random_state=SEED),
    )


def _heart_lr_log1p():
    return Pipeline([("log1p", FunctionTransformer(np.log1p)), ("scale", StandardScaler()),
                     ("lr", LogisticRegression(C=1.0, max_iter=5000))])


def _vote(cands: list):
    return VotingClassifier([(c.name, clone(c.estimator)) for c in cands], voting="soft")


def heart_baseline_candidates() -> list:
    core = [HEART_NO_TIME.index(f) for f in HEART_CORE]
    rf11 = Candidate(
        "rf-11", "RandomForestClassifier, 200 trees, min_samples_leaf=10, 11 inputs",
        RandomForestClassifier(n_estimators=200, min_samples_leaf=10, random_state=SEED),
    )
    gb = Candidate(
        "gb-stumps", "GradientBoostingClassifier, 100 depth-1 trees, learning_rate=0.05, subsample=0.8, 11 inputs",
        GradientBoostingClassifier(n_estimators=100, learning_rate=0.05, max_depth=1, subsample=0.8, random_state=SEED),
    )
    lrlog = Candidate(
        "lr-log1p", "LogisticRegression (C=1) on standardised log1p(inputs), 11 inputs",
        _heart_lr_log1p(),
    )
    return [
        rf11,
        Candidate(
            "rf-core3", "RandomForestClassifier, 200 trees, min_samples_leaf=10, reads age, ejection_fraction, serum_creatinine",
            Pipeline([("select", SelectColumns(core)),
                      ("rf", RandomForestClassifier(n_estimators=200, min_samples_leaf=10, random_state=SEED))]),
        ),
        gb,
        Candidate(
            "lr", "LogisticRegression (C=1) on standardised inputs, 11 inputs",
            Pipeline([("scale", StandardScaler()), ("lr", LogisticRegression(C=1.0, max_iter=5000))]),
        ),
        Candidate(
            "et-11", "ExtraTreesClassifier, 200 trees, min_samples_leaf=5, 11 inputs",
            ExtraTreesClassifier(n_estimators=200, min_samples_leaf=5, random_state=SEED),
        ),
        lrlog,
        Candidate(
            "vote-rf-gb-lr",
            "soft-voting ensemble (mean of probabilities) of RandomForestClassifier (200 trees, min_samples_leaf=10), "
            "GradientBoostingClassifier (100 depth-1 trees, learning_rate=0.05, subsample=0.8) and LogisticRegression "
            "(C=1) on standardised log1p(inputs), 11 inputs",
            _vote([rf11, gb, lrlog]), members=("rf-11", "gb-stumps", "lr-log1p"),
        ),
    ]


def heart_lr() -> Candidate:
    return Candidate(
        "lr", "LogisticRegression (C=1, L2) on standardised inputs (standardisation inside the graph), 11 inputs",
        Pipeline([("scale", StandardScaler()), ("lr", LogisticRegression(C=1.0, max_iter=5000))]),
    )


def heart_inner_cv():
    return StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)


# ---------------------------------------------------------------- device


def device_dt_seed() -> Candidate:
    return Candidate(
        "dt-seed", "DecisionTreeClassifier, default parameters (random_state=0)",
        DecisionTreeClassifier(random_state=SEED),
    )


def device_rf_candidates() -> list:
    rfb = Candidate(
        "rf-balanced",
        "RandomForestClassifier, 100 trees, class_weight=balanced_subsample, min_weight_fraction_leaf=0.02, max_samples=0.3",
        RandomForestClassifier(n_estimators=100, class_weight="balanced_subsample", min_weight_fraction_leaf=0.02,
                               max_samples=0.3, random_state=SEED),
    )
    lrb = Candidate(
        "lr-log1p-balanced",
        "LogisticRegression (C=1, class_weight=balanced) on standardised log1p(metrics)",
        Pipeline([("log1p", FunctionTransformer(np.log1p)), ("scale", StandardScaler()),
                  ("lr", LogisticRegression(C=1.0, class_weight="balanced", max_iter=5000))]),
    )
    return [
        rfb,
        Candidate(
            "rf-entropy",
            "RandomForestClassifier, 100 trees, criterion=entropy, min_samples_leaf=10, max_samples=0.3",
            RandomForestClassifier(n_estimators=100, criterion="entropy", min_samples_leaf=10, max_samples=0.3,
                                   random_state=SEED),
        ),
        Candidate(
            "et-balanced",
            "ExtraTreesClassifier, 100 trees, class_weight=balanced_subsample, min_weight_fraction_leaf=0.02, "
            "bootstrap=True, max_samples=0.3",
            ExtraTreesClassifier(n_estimators=100, class_weight="balanced_subsample", min_weight_fraction_leaf=0.02,
                                 bootstrap=True, max_samples=0.3, random_state=SEED),
        ),
        lrb,
        Candidate(
            "vote-rf-lr",
            "soft-voting ensemble (mean of probabilities) of RandomForestClassifier (100 trees, "
            "class_weight=balanced_subsample, min_weight_fraction_leaf=0.02, max_samples=0.3) and LogisticRegression "
            "(C=1, class_weight=balanced) on standardised log1p(metrics)",
            _vote([rfb, lrb]), members=("rf-balanced", "lr-log1p-balanced"),
        ),
    ]


def device_lr() -> Candidate:
    return Candidate(
        "lr-log1p", "LogisticRegression (C=1, L2) on standardised log1p(metrics) (transform inside the graph)",
        Pipeline([("log1p", FunctionTransformer(np.log1p)), ("scale", StandardScaler()),
                  ("lr", LogisticRegression(C=1.0, max_iter=5000))]),
    )


def device_outer_cv():
    return StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=SEED)


def device_inner_cv():
    return StratifiedGroupKFold(n_splits=3, shuffle=True, random_state=SEED)


# ---------------------------------------------------------------- procedure


def fit_fixed(cand: Candidate, X, y, threads: int = 1):
    model = set_threads(clone(cand.estimator), threads)
    model.fit(X, y)
    return model


def select_and_fit(candidates: list, X, y, inner_cv, groups=None, threads: int = 1) -> Fitted:
    splits = list(inner_cv.split(X, y, groups))
    oof = {}
    for cand in candidates:
        if cand.members:
            # soft vote of earlier candidates: VotingClassifier's np.average over the members' probabilities
            oof[cand.name] = np.average(np.stack([oof[m] for m in cand.members]), axis=0)
            continue
        p = np.zeros(len(y), dtype=np.float64)
        for tr, te in splits:
            p[te] = p1(fit_fixed(cand, X[tr], y[tr], threads), X[te])
        oof[cand.name] = p
    aucs = {c.name: float(roc_auc_score(y, oof[c.name])) for c in candidates}
    best = max(candidates, key=lambda c: (aucs[c.name], -candidates.index(c)))
    threshold = mcc_best_threshold(y, oof[best.name])
    model = fit_fixed(best, X, y, threads)
    return Fitted(best, model, threshold, aucs)
