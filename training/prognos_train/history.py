"""History features: features of an entity's (a device's) daily log, as the declaration's
`history` section lists them, with the semantics of src/domain/history.ts (the browser's copy;
golden feature rows written by the pipeline prove that the two agree).

An entity's readings are sorted by day; for the reading on day t, with previous reading p
(none on the first day) and window W(d) = the entity's readings on days t-d+1 .. t:

    value            x_t
    diff             x_t - x_p, 0 on the first reading
    window_max       max of x over W(d)
    window_delta     x_t - x at the earliest reading of W(d)
    window_increases readings r in W(d), other than the entity's first, with x_r > x at the reading before r
    days_since_first t - the entity's first day
    days_since_previous  t - day of p, 0 on the first reading

Days are integer days since 1970-01-01 of ISO dates (YYYY-MM-DD, a real calendar date; never
guessed). Two readings of one entity on one day: the later one in the file is kept, the earlier
one set aside (src/domain/fleet.ts). Everything is float64 from the counters, vectorised per
operation over all entities at once (rows sorted by entity, then day).
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

import numpy as np

_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_EPOCH = _dt.date(1970, 1, 1).toordinal()


def parse_day(text: str) -> int | None:
    """Days since 1970-01-01 of a real calendar date written YYYY-MM-DD, else None.

    As parseIsoDay in history.ts, including its range: years 0000-0099 are refused there (the
    browser's Date.UTC maps them to 1900-1999), so they are refused here too.
    """
    m = _ISO.fullmatch(text.strip())
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if y < 100:
        return None
    try:
        return _dt.date(y, mo, d).toordinal() - _EPOCH
    except ValueError:
        return None


def date_problem(text: str) -> str:
    """Why a date cell was refused, in words (as dateProblem in history.ts)."""
    t = text.strip()
    if t == "":
        return "the date is empty (expected YYYY-MM-DD)"
    if not _ISO.fullmatch(t):
        return f"{t[:40]!r} is not an ISO date (expected YYYY-MM-DD, e.g. 2015-01-31)"
    return f"{t!r} is not a real calendar date"


def format_day(day: int) -> str:
    return _dt.date.fromordinal(int(day) + _EPOCH).isoformat()


def inputs_of(features) -> list:
    """The fields the history features read, in first-use order (historyInputs in history.ts)."""
    out = []
    for f in features:
        if f.of is not None and f.of not in out:
            out.append(f.of)
    return out


@dataclass
class Assembled:
    """A log grouped by entity (in order of first appearance) and sorted by day within each."""
    order: np.ndarray         # kept reading indices (file order index), grouped and sorted
    entity_start: np.ndarray  # start of each entity's run in `order`; [e + 1] is its end
    entities: list            # entity names, in order of first appearance
    set_aside: list           # (index, kept index) of readings replaced by a later one of the same entity and day


def assemble(entities, days) -> Assembled:
    """Group readings (file order) by entity and sort by day; keep the last reading of an entity's day."""
    entities = np.asarray(entities)
    days = np.asarray(days, dtype=np.int64)
    n = len(days)
    names, first, code = np.unique(entities, return_index=True, return_inverse=True)
    rank = np.empty(len(names), dtype=np.int64)
    rank[np.argsort(first, kind="mergesort")] = np.arange(len(names))  # entity number by first appearance
    ent = rank[code.reshape(-1)]
    idx = np.arange(n)
    srt = np.lexsort((idx, days, ent))  # by entity, day, then file order
    e_s, d_s = ent[srt], days[srt]
    last_of_day = np.ones(n, dtype=bool)
    last_of_day[:-1] = (e_s[1:] != e_s[:-1]) | (d_s[1:] != d_s[:-1])
    order = srt[last_of_day]
    # the kept reading of each day is the last of its (entity, day) run
    run_end = np.flatnonzero(last_of_day)
    kept_for = srt[run_end[np.searchsorted(run_end, np.arange(n))]]
    set_aside = [(int(srt[k]), int(kept_for[k])) for k in np.flatnonzero(~last_of_day)]
    e_kept = ent[order]
    starts = np.flatnonzero(np.r_[True, e_kept[1:] != e_kept[:-1]])
    entity_order = names[np.argsort(first, kind="mergesort")]
    return Assembled(order, np.r_[starts, len(order)].astype(np.int64), [str(e) for e in entity_order], set_aside)


def compute_sorted(features, inputs: list, entity_start, days, values) -> np.ndarray:
    """Features (float64 [n, len(features)]) of readings sorted by entity then day, one a day.

    entity_start: start of each entity's run (and the end as last element); days: int [n];
    values: float64 [n, len(inputs)], column k = input k.
    """
    days = np.asarray(days, dtype=np.int64)
    values = np.asarray(values, dtype=np.float64)
    n = len(days)
    bounds = np.asarray(entity_start, dtype=np.int64)
    lengths = np.diff(bounds)
    first_idx = np.repeat(bounds[:-1], lengths)          # index of the entity's first reading, per row
    is_first = np.zeros(n, dtype=bool)
    is_first[bounds[:-1][lengths > 0]] = True
    rows = np.arange(n)
    # a key increasing along the sorted rows: entity number, then day
    ent = np.repeat(np.arange(len(lengths)), lengths)
    span = int(days.max() - days.min()) + 2 if n else 1
    key = ent * span + (days - (days.min() if n else 0))
    starts = {}

    def window_start(d: int) -> np.ndarray:
        """Index of the earliest reading of W(d) for every row."""
        if d not in starts:
            starts[d] = np.maximum(np.searchsorted(key, key - d + 1, side="left"), first_idx)
        return starts[d]

    prev = np.maximum(rows - 1, 0)
    X = np.empty((n, len(features)), dtype=np.float64)
    for j, f in enumerate(features):
        x = values[:, inputs.index(f.of)] if f.of is not None else None
        if f.op == "value":
            v = x.copy()
        elif f.op == "diff":
            v = np.where(is_first, 0.0, x - x[prev])
        elif f.op == "window_max":
            s = window_start(f.days)
            v = x.copy()
            for k in range(1, f.days):  # at most one reading a day: W(d) holds at most d readings
                r = rows - k
                ok = r >= s
                if not ok.any():
                    break
                v[ok] = np.maximum(v[ok], x[r[ok]])
        elif f.op == "window_delta":
            v = x - x[window_start(f.days)]
        elif f.op == "window_increases":
            inc = np.where(is_first, 0.0, (x > x[prev]).astype(np.float64))
            c = np.r_[0.0, np.cumsum(inc)]
            v = c[rows + 1] - c[window_start(f.days)]
        elif f.op == "days_since_first":
            v = (days - days[first_idx]).astype(np.float64)
        elif f.op == "days_since_previous":
            v = np.where(is_first, 0.0, (days - days[prev]).astype(np.float64))
        else:
            raise ValueError(f"unknown history op {f.op!r}")
        X[:, j] = v
    return X


def compute(features, entities, days, values, inputs: list):
    """Features of every kept reading of a log in file order.

    entities, days: per reading (file order); values: float64 [n, len(inputs)].
    Returns (kept: indices of the kept readings in file order, X: features of those readings in
    the same order, assembled log).
    """
    a = assemble(entities, days)
    Xs = compute_sorted(features, inputs, a.entity_start, np.asarray(days)[a.order], np.asarray(values)[a.order])
    kept = np.sort(a.order)
    X = np.empty_like(Xs)
    X[np.searchsorted(kept, a.order)] = Xs
    return kept, X, a


def unit_of(f, domain) -> str:
    """The manifest unit of a history feature."""
    if f.op in ("days_since_first", "days_since_previous"):
        return "days"
    if f.op == "window_increases":
        return "readings"
    return domain.field(f.of).manifest_unit


def history_dataset(ds, domain):
    """The dataset a history model trains on: the features of every kept reading, in file order.

    ds: the domain's loaded data with days, entities and lines (data.load). Rows set aside by
    the duplicate rule are left out (none in device_failure.csv); file_rows maps back.
    """
    from .data import Dataset

    hist = domain.history
    inputs = inputs_of(hist.features)
    cols = [ds.features.index(c) for c in inputs]
    kept, X, _ = compute(hist.features, ds.entities, ds.days, ds.X[:, cols], inputs)
    return Dataset(
        name=ds.name, path=ds.path, file=ds.file, sha256=ds.sha256, features=hist.names,
        units={f.name: unit_of(f, domain) for f in hist.features}, X=X, y=ds.y[kept],
        groups=None if ds.groups is None else ds.groups[kept],
        days=ds.days[kept], entities=ds.entities[kept], lines=ds.lines[kept], file_rows=kept,
    )
