"""Model-card texts: the declaration's templates filled with what training chose.

Placeholders: {family} (the shipped candidate's description), {family_kind} (a short
name for it, e.g. "random forest") and {seed_threshold} (the seed models' fixed threshold
in words). Limitations = the model's own, then, when the fitted model reads only some of
its inputs, a sentence naming them, then the domain's common limitations.
"""
from __future__ import annotations

import re

from .models import SEED_THRESHOLD_WORDS
from .select_columns import SelectColumns

SEED_SELECTION = "Fixed threshold " + SEED_THRESHOLD_WORDS + "; no tuning."

_KINDS = (
    ("RandomForest", "random forest"),
    ("ExtraTrees", "extra trees"),
    ("GradientBoosting", "gradient boosting"),
    ("DecisionTree", "decision tree"),
    ("LogisticRegression", "logistic regression"),
)


def family_kind(family: str) -> str:
    """Short name of a family description, e.g. "random forest"; a soft vote names its members' kinds."""
    if family.startswith("soft-voting"):
        kinds = [kind for prefix, kind in _KINDS if prefix in family]
        return " + ".join(kinds) + " ensemble" if kinds else "ensemble"
    for prefix, kind in _KINDS:
        if family.startswith(prefix):
            return kind
    return "model"


def fill(template: str, values: dict) -> str:
    # only {name} placeholders; other braces are left as written (the loader rejects unknown names)
    return re.sub(r"\{([A-Za-z_][A-Za-z0-9_]*)\}", lambda m: values.get(m.group(1), m.group(0)), template)


def inputs_read(model, feats: list) -> list:
    """Names of the inputs the fitted model actually reads, in feature order (SelectColumns narrows them)."""
    steps = getattr(model, "steps", None)
    if steps and isinstance(steps[0][1], SelectColumns):
        cols = set(steps[0][1].columns)
        return [f for i, f in enumerate(feats) if i in cols]
    members = getattr(model, "estimators_", None)
    if members is not None and hasattr(model, "voting"):
        used = set()
        for m in members:
            used.update(inputs_read(m, feats))
        return [f for f in feats if f in used]
    return list(feats)


def texts(domain, model, family: str, reads: list) -> dict:
    values = {"family": family, "family_kind": family_kind(family), "seed_threshold": SEED_THRESHOLD_WORDS}
    limitations = [fill(t, values) for t in model.limitations]
    if len(reads) < len(model.features):
        limitations.append(f"It reads only {', '.join(reads)}; the other inputs are accepted but do not change the result.")
    return {
        "title": fill(model.title, values),
        "intended_use": fill(model.intended_use, values),
        "limitations": limitations + list(domain.common_limitations),
    }


def protocol(domain, model) -> str:
    ev = domain.evaluation
    selection = SEED_SELECTION if model.seed else fill(ev.selection, {"what": model.selects})
    return fill(ev.protocol, {"selection": selection})
