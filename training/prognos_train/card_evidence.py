"""The evidence of issue 22 for one model, in the manifest's shape (figures: evidence.py).

`entry["evidence"]` (read beside every result, so kept in manifest.core.json): the similar-
patients lookup and the interval of a risk (the same neighbourhood's Wilson interval). `entry["evaluation"]["out_of_fold"]`
(card only): discrimination with intervals, calibration intercept, slope and groups, the
decision curve, subgroups and the interval's measured validity. `entry["evaluation"]["tripod"]`:
the declaration's card texts (intended users, eligibility, outcome, missing inputs, ...).
What is computed, and for which model, is declared in `evidence` of domains/<id>.json.
"""
from __future__ import annotations

import numpy as np

from . import evidence as E

PER_ROW = {
    "repeated-holdout": "one out-of-fold probability per {unit}: the mean of the {lo} to {hi} held-out predictions "
                        "it received (the splits whose test part held it, of {parts})",
    "kfold": "one out-of-fold probability per {unit}: the prediction of the one fold that held it out",
}
INTERVAL_SENTENCE = ("Interval: the Wilson 95 % interval of how many of the study's {units} whose out-of-fold risk "
                     "was within {band} points of this one {event}, which holds both what such a risk turned out to "
                     "mean and how few {units} that is.")


def _columns(ds, spec: list) -> dict:
    names = {s["field"] for s in spec if "field" in s}
    return {n: ds.X[:, ds.features.index(n)] for n in names}


def model_evidence(domain, ds, ev: dict, part: np.ndarray) -> tuple:
    """(entry evidence or None, evaluation.out_of_fold, evaluation.tripod) for one model."""
    spec = domain.evidence
    unit = spec["unit"]
    y_pool = np.asarray(ev["pooled_y"], dtype=int)
    p_pool = np.round(np.asarray(ev["pooled_p"], dtype=float), E.DECIMALS)  # as in oof-<id>.json
    rows = np.asarray(ev["pooled_rows"])
    p, count = E.per_row(rows, p_pool, len(ds.y))
    y = np.asarray(ds.y, dtype=int)
    kind = "repeated-holdout" if domain.evaluation.kind == "repeated-holdout" else "kfold"
    per_row = PER_ROW[kind].format(unit=unit, lo=int(count.min()), hi=int(count.max()), parts=len(np.unique(part)))
    oof = {
        "unit": unit,
        "per_row": per_row,
        "rows": int(len(y)),
        "events": int(y.sum()),
        "discrimination": E.discrimination(y, p, y_pool, p_pool, part),
        "calibration_fit": E.calibration_fit(y, p),
        "calibration_groups": E.calibration_bins(y, p, spec.get("calibration_groups", 10)),
        "decision_curve": E.decision_curve(y, p, E.thresholds_of(spec["decision_thresholds"])),
        "subgroups": E.subgroups(spec.get("subgroups", []), _columns(ds, spec.get("subgroups", [])), y, p, ds.groups),
    }
    if ds.groups is not None:
        oof["entities"] = int(len(np.unique(ds.groups)))
    evidence = None
    similar, interval = spec.get("similar"), spec.get("interval")
    if similar is not None:
        evidence = {
            "unit": unit,
            "units": similar["units"],
            "event": similar["event"],
            "per_row": per_row,
            "similar": E.neighbourhood(p, y, similar["band"], similar["step"], similar["small_n"]),
        }
        if interval is not None:
            words = {"units": similar["units"], "event": similar["event"], "band": round(similar["band"] * 100)}
            evidence["interval"] = {"method": "Wilson band over the similar cases",
                                    "sentence": INTERVAL_SENTENCE.format(**words)}
            oof["interval_validity"] = E.interval_validity(p, y, similar["band"], interval["folds"], interval["groups"],
                                                           interval.get("repeats", 20))
    return evidence, oof, spec.get("card", {})
