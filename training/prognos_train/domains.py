"""Loading and checking the domain declarations, domains/<id>.json.

One file per domain, read by this pipeline and by the app. Only the keys the training
needs are checked here (the app checks the rest, e.g. presets and form notes); every
problem is a DomainError naming the file and the key, e.g.
`domains/heart.json: models[1].features[3]: 'bmi' is not a declared field`.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass

from .declaration_reader import DomainError, Reader, at_least

KINDS = ("number", "integer", "yes-no", "sex")
BINARY_KINDS = ("yes-no", "sex")  # stored as 0/1; the manifest's unit for them is "0/1"
EVALUATION_KINDS = ("repeated-holdout", "grouped-kfold", "kfold")
METRIC_CASE_SOURCES = ("split0", "pooled-sample")
CARD_PLACEHOLDERS = ("family", "family_kind", "seed_threshold")
MODEL_INPUTS = ("fields", "history")  # a model reads one reading's fields, or features of an entity's history
HISTORY_OPS = ("value", "diff", "window_max", "window_delta", "window_increases", "days_since_first",
               "days_since_previous")  # semantics: src/domain/history.ts and history.py
HISTORY_WINDOW_OPS = ("window_max", "window_delta", "window_increases")
HISTORY_DAY_OPS = ("days_since_first", "days_since_previous")  # read no field


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    unit: str
    kind: str
    min: float
    max: float
    aliases: tuple

    @property
    def columns(self) -> tuple:
        """CSV column names that may hold this field, in order of preference."""
        return (self.name,) + self.aliases

    @property
    def manifest_unit(self) -> str:
        return "0/1" if self.kind in BINARY_KINDS else self.unit


@dataclass(frozen=True)
class Model:
    id: str
    key: str               # where it sits in the file, e.g. "models[1]", for messages
    default: bool
    seed: bool             # the replaced service's model: fixed threshold, no selection
    input: str             # "fields" (one reading) or "history" (features of the entity's daily log)
    features: tuple
    recipe: dict
    selects: str | None    # what the inner CV chooses, for the protocol text (non-seed models)
    parallel_fit: bool     # fit with --jobs threads (large data); results do not depend on it
    title: str
    intended_use: str
    limitations: tuple


@dataclass(frozen=True)
class HistoryFeature:
    name: str
    op: str
    of: str | None     # the field it reads (None for days_since_*)
    days: int | None   # window length in days (window_* ops only)


@dataclass(frozen=True)
class History:
    """Features computed from an entity's daily log (`history` in the declaration)."""
    date_column: str
    entity_column: str
    features: tuple    # HistoryFeature

    @property
    def names(self) -> list:
        return [f.name for f in self.features]

    def feature(self, name: str) -> HistoryFeature:
        return next(f for f in self.features if f.name == name)


@dataclass(frozen=True)
class Evaluation:
    kind: str
    repetitions: int | None
    test_size: float | None
    folds: int | None
    inner_folds: int
    protocol: str
    selection: str
    metric_cases: tuple    # dicts: model, source, name (+ rows for pooled-sample)


@dataclass(frozen=True)
class Domain:
    id: str
    order: int
    title: str
    path: str
    fields: tuple
    ignored_columns: tuple
    data_file: str
    label_column: str
    group_column: str | None
    class_labels: tuple
    golden_rows: int
    evaluation: Evaluation
    common_limitations: tuple
    models: tuple
    history: History | None = None
    inspections: "Inspections | None" = None
    evidence: dict | None = None  # `evidence`: what card_evidence.py computes (issue 22), raw

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def error(self, key: str, msg: str) -> DomainError:
        return DomainError(f"{self.path}: {key}: {msg}")


@dataclass(frozen=True)
class Inspections:
    """What an inspection vouches for (`inspections` in the declaration): the policy the Fleet list
    applies and that training evaluates (policy.py)."""
    cover_days: int
    hold_days: int
    rise_factor: float
    evaluate_k: tuple
    evaluate_hold_days: tuple
    outcomes: tuple  # outcome ids, in declaration order


def _inspections(r: Reader) -> Inspections:
    ev = r.child("evaluate")
    def positive_ints(name):
        v = ev.get(name, list, check=lambda v: None if v and all(isinstance(x, int) and not isinstance(x, bool) and x > 0
                                                              for x in v) else "expected a list of positive integers")
        return tuple(v)
    outcomes = r.children("outcomes")
    ids = tuple(o.text("id") for o in outcomes)
    for o in outcomes:
        o.text("label")
        o.get("holds_back", bool)
        o.texts("aliases", ())
    if len(set(ids)) != len(ids):
        raise r.fail("two outcomes share an id", r.sub("outcomes"))
    return Inspections(
        cover_days=r.get("cover_days", int, check=at_least(1)),
        hold_days=r.get("hold_days", int, check=at_least(1)),
        rise_factor=float(r.get("rise_factor", (int, float), check=lambda v: None if v > 1 else "must be above 1")),
        evaluate_k=positive_ints("k"),
        evaluate_hold_days=positive_ints("hold_days"),
        outcomes=ids,
    )


def _two_labels(v):
    return None if len(v) == 2 and all(isinstance(x, str) for x in v) else "expected two strings, the labels of 0 and 1"


def _field(r: Reader) -> Field:
    f = Field(
        name=r.text("name"), label=r.text("label"), unit=r.text("unit"),
        kind=r.get("kind", str, check=lambda v: None if v in KINDS else f"{v!r} is not one of {', '.join(KINDS)}"),
        min=r.get("min", (int, float)), max=r.get("max", (int, float)), aliases=r.texts("aliases", ()),
    )
    if f.min > f.max:
        raise r.fail(f"min {f.min} is above max {f.max}")
    return f


def _evaluation(r: Reader, model_ids: list) -> Evaluation:
    kind = r.get("kind", str, check=lambda v: None if v in EVALUATION_KINDS else
                 f"{v!r} is not one of {', '.join(EVALUATION_KINDS)}")
    holdout = kind == "repeated-holdout"
    cases = []
    for c in r.children("metric_cases") if r.obj.get("metric_cases") else []:
        source = c.get("source", str, check=lambda v: None if v in METRIC_CASE_SOURCES else
                       f"{v!r} is not one of {', '.join(METRIC_CASE_SOURCES)}")
        case = {
            "model": c.get("model", str, check=lambda v: None if v in model_ids else f"{v!r} is not a model of this domain"),
            "source": source,
            "name": c.text("name"),
        }
        if source == "pooled-sample":
            case["rows"] = c.get("rows", int, check=at_least(1))
        cases.append(case)
    return Evaluation(
        kind=kind,
        repetitions=r.get("repetitions", int, check=at_least(2)) if holdout else None,
        test_size=r.get("test_size", float, check=lambda v: None if 0 < v < 1 else "must be between 0 and 1")
        if holdout else None,
        folds=None if holdout else r.get("folds", int, check=at_least(2)),
        inner_folds=r.get("inner_folds", int, check=at_least(2)),
        protocol=r.text("protocol", placeholders=("selection",)),
        selection=r.text("selection", placeholders=("what",)),
        metric_cases=tuple(cases),
    )


def _model(r: Reader, field_names: list, history_names: list | None) -> Model:
    seed = r.get("seed", bool, False)
    source = r.get("input", str, "fields", check=lambda v: None if v in MODEL_INPUTS else
                   f"{v!r} is not one of {', '.join(MODEL_INPUTS)}")
    if source == "history" and history_names is None:
        raise r.fail("a history model needs the domain's `history` section", r.sub("input"))
    feats = r.texts("features")
    if not feats:
        raise r.fail("must not be empty", r.sub("features"))
    for i, f in enumerate(feats):
        if source == "fields" and f not in field_names:
            raise r.fail(f"{f!r} is not a declared field", f"{r.sub('features')}[{i}]")
        if source == "history" and f not in history_names:
            raise r.fail(f"{f!r} is not a declared history feature", f"{r.sub('features')}[{i}]")
        if feats.index(f) != i:
            raise r.fail(f"{f!r} is listed twice", f"{r.sub('features')}[{i}]")
    recipe = r.child("recipe")
    recipe.text("name")
    return Model(
        id=r.text("id"), key=r.key, default=r.get("default", bool), seed=seed, input=source, features=feats,
        recipe=dict(recipe.obj),
        selects=None if seed else r.text("selects"),
        parallel_fit=r.get("parallel_fit", bool, False),
        title=r.text("title", placeholders=CARD_PLACEHOLDERS),
        intended_use=r.text("intended_use", placeholders=CARD_PLACEHOLDERS),
        limitations=r.texts("limitations", placeholders=CARD_PLACEHOLDERS),
    )


def _history(r: Reader, field_names: list, columns: dict) -> History:
    date_col, entity_col = r.text("date_column"), r.text("entity_column")
    for key, col in (("date_column", date_col), ("entity_column", entity_col)):
        if col in columns:
            raise r.fail(f"{col!r} is also a column of field {columns[col]!r}", r.sub(key))
    if date_col == entity_col:
        raise r.fail("the date and entity columns must differ", r.sub("entity_column"))
    feats, names = [], []
    for c in r.children("features"):
        name = c.get("name", str, check=lambda v: None if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", v) else
                     "expected a name of letters, digits and _")
        if name in names:
            raise c.fail(f"history feature {name!r} is declared twice", c.sub("name"))
        op = c.get("op", str, check=lambda v: None if v in HISTORY_OPS else f"{v!r} is not one of {', '.join(HISTORY_OPS)}")
        of = None
        if op in HISTORY_DAY_OPS:
            if "of" in c.obj:
                raise c.fail(f"op {op!r} reads no field", c.sub("of"))
        else:
            of = c.get("of", str, check=lambda v: None if v in field_names else f"{v!r} is not a declared field")
        days = None
        if op in HISTORY_WINDOW_OPS:
            days = c.get("days", int, check=at_least(1))
        elif "days" in c.obj:
            raise c.fail(f"op {op!r} takes no window", c.sub("days"))
        feats.append(HistoryFeature(name, op, of, days))
        names.append(name)
    return History(date_col, entity_col, tuple(feats))


def parse_domain(path: str, obj) -> Domain:
    r = Reader(path, obj)
    did = r.text("id")
    stem = os.path.splitext(os.path.basename(path))[0]
    if did != stem:
        raise r.fail(f"id {did!r} differs from the file name {stem!r}", "id")
    fields = [_field(f) for f in r.children("fields")]
    columns = {}
    for i, f in enumerate(fields):
        for c in f.columns:
            if c in columns:
                raise r.fail(f"column {c!r} is already used by field {columns[c]!r}", f"fields[{i}]")
            columns[c] = f.name
    ignored = r.texts("ignored_columns", ())
    for i, c in enumerate(ignored):
        if c in columns:
            raise r.fail(f"{c!r} is a column of field {columns[c]!r}", f"ignored_columns[{i}]")
    data = r.child("data")
    hist_r = r.child("history", None)
    history = None if hist_r is None else _history(hist_r, [f.name for f in fields], columns)
    models = [_model(m, [f.name for f in fields], None if history is None else history.names)
              for m in r.children("models")]
    ids = [m.id for m in models]
    for i, m in enumerate(models):
        if ids.index(m.id) != i:
            raise r.fail(f"model id {m.id!r} is used twice", f"models[{i}].id")
    defaults = [m.id for m in models if m.default]
    if len(defaults) != 1:
        raise r.fail(f"exactly one model must have default true, found {len(defaults)}", "models")
    label = data.text("label_column")
    group = data.get("group_column", (str, type(None)), None)
    for key, col in (("label_column", label), ("group_column", group)):
        if col in columns:
            raise r.fail(f"{col!r} is also a column of field {columns[col]!r}", f"data.{key}")
    evaluation = _evaluation(r.child("evaluation"), ids)
    if (evaluation.kind == "grouped-kfold") != (group is not None):
        raise r.fail("grouped-kfold needs data.group_column, and only grouped-kfold uses it "
                     f"(kind {evaluation.kind!r}, group_column {group!r})", "evaluation.kind")
    if history is not None:
        for key, col in (("date_column", history.date_column), ("entity_column", history.entity_column)):
            if col == label:
                raise r.fail(f"{col!r} is the label column", f"history.{key}")
    insp_r = r.child("inspections", None)
    if insp_r is not None and history is None:
        raise r.fail("inspections need the domain's `history` section (a daily log)", "inspections")
    inspections = None if insp_r is None else _inspections(insp_r)
    seed_service = r.child("seed_service", None)
    if seed_service is not None:
        seed_service.get("model", str, check=lambda v: None if v in ids else f"{v!r} is not a model of this domain")
    return Domain(
        id=did,
        order=r.get("order", int),
        title=r.text("title"),
        path=path,
        fields=tuple(fields),
        ignored_columns=ignored,
        data_file=data.text("file"),
        label_column=label,
        group_column=group,
        class_labels=tuple(data.get("class_labels", list, check=_two_labels)),
        golden_rows=data.get("golden_rows", int, check=at_least(1)),
        evaluation=evaluation,
        common_limitations=r.texts("common_limitations", (), placeholders=()),
        models=tuple(models),
        history=history,
        inspections=inspections,
        evidence=_evidence(r, path, obj.get("evidence"), {f.name for f in fields}),
    )


def _evidence(r, path: str, ev, field_names: set) -> dict | None:
    """The `evidence` section, checked only where a mistake would fail late or silently."""
    if ev is None:
        return None
    if not isinstance(ev, dict) or not isinstance(ev.get("unit"), str) or "decision_thresholds" not in ev:
        raise DomainError(f"{path}: evidence: expected an object with unit and decision_thresholds")
    for i, s in enumerate(ev.get("subgroups", [])):
        if "field" in s and s["field"] not in field_names:
            raise DomainError(f"{path}: evidence.subgroups[{i}].field: {s['field']!r} is not a declared field")
    return ev


def load_domains(directory: str, recipes=None) -> list:
    """Every domains/*.json, sorted by order then id. recipes: known recipe names, to check them early."""
    if not os.path.isdir(directory):
        raise DomainError(f"{directory}: no such folder (expected the domain declarations, one <id>.json each)")
    files = sorted(n for n in os.listdir(directory) if n.endswith(".json"))
    if not files:
        raise DomainError(f"{directory}: no .json domain declaration in it")
    domains = []
    for name in files:
        path = os.path.join(directory, name)
        try:
            with open(path, encoding="utf-8") as f:
                obj = json.load(f)
        except json.JSONDecodeError as e:
            raise DomainError(f"{path}: line {e.lineno}, column {e.colno}: not valid JSON: {e.msg}") from None
        except (OSError, UnicodeDecodeError) as e:
            raise DomainError(f"{path}: cannot read: {e}") from None
        d = parse_domain(path, obj)
        for m in d.models:
            if recipes is not None and m.recipe["name"] not in recipes:
                raise d.error(f"{m.key}.recipe.name",
                              f"unknown recipe {m.recipe['name']!r} (known: {', '.join(sorted(recipes))})")
        domains.append(d)
    seen = {}
    for d in domains:
        for m in d.models:
            if m.id in seen:
                raise d.error(f"{m.key}.id", f"model id {m.id!r} is also declared in {seen[m.id]}")
            seen[m.id] = d.path
    return sorted(domains, key=lambda d: (d.order, d.id))
