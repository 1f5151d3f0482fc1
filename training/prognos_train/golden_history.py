"""Golden files for a history model, for the app's tests.

- <id>-features.json: raw log rows (cells exactly as in the data file, with their 1-based
  file lines; for each chosen device ALL its rows up to its last chosen day) and the history
  features expected for chosen device-days (first days, gaps, failures, long histories, single
  readings); plus a small generated log with duplicates and rows out of order.
- <id>-random-log.json: a seeded random log (many devices, gaps of every length, duplicates,
  rows in random order) with the features of every kept reading, in the same case format.
- <id>-all.txt.gz: scikit-learn's P(class 1) of the shipped model for every data row.
"""
from __future__ import annotations

import csv
import gzip
import json

import numpy as np

from .history import compute, format_day, inputs_of, parse_day
from .writers import write_text

FEATURE_NOTE = (
    "History features (float64) expected for chosen readings. Each case is a log: `columns` is the header, "
    "`rows` the cells as strings in file order, `lines` their 1-based lines in the file (header = line 1). "
    "Readings are grouped by device and sorted by date; of two readings of one device on one day the later one "
    "in the file is kept (set_aside lists the others). Case 1 holds, for each chosen device, all its rows of the "
    "data file up to its last chosen day, so its chosen days have the same features as in the whole file."
)


def _row_out(line: int, device: str, day: int, feats) -> str:
    return json.dumps({"line": int(line), "device": device, "date": format_day(day),
                       "features": [float(v) for v in feats]}, separators=(",", ":"))


def _case_text(name: str, columns: list, rows: list, lines: list, expected: list, set_aside: list) -> str:
    parts = [
        "    {",
        f'      "name": {json.dumps(name)},',
        f'      "columns": {json.dumps(columns)},',
        '      "rows": [\n' + ",\n".join("        " + json.dumps(r, separators=(",", ":")) for r in rows) + "\n      ],",
        f'      "lines": {json.dumps([int(v) for v in lines], separators=(",", ":"))},',
        '      "set_aside": ' + json.dumps(set_aside, separators=(",", ":")) + ",",
        '      "expected": [\n' + ",\n".join("        " + e for e in expected) + "\n      ]",
        "    }",
    ]
    return "\n".join(parts)


def _chosen_devices(h) -> tuple:
    """h: the history dataset (kept readings). Returns (device -> sorted positions, in the device's
    day-sorted kept readings, whose features are checked; device -> its kept readings' rows in h)."""
    ent, days, y = h.entities, h.days, h.y
    by = {}
    for i in np.lexsort((days, ent)):
        by.setdefault(str(ent[i]), []).append(int(i))
    names = sorted(by)
    n_rows = {e: len(by[e]) for e in names}
    gaps = {e: (int(np.max(np.diff(days[by[e]]))) if n_rows[e] > 1 else 0) for e in names}
    failing = [e for e in names if y[by[e]].any()]
    picks = []
    picks += sorted(failing, key=lambda e: (n_rows[e], e))[:4]          # short histories ending in a failure
    picks += sorted(failing, key=lambda e: (-n_rows[e], e))[:4]         # long histories ending in a failure
    picks += sorted(names, key=lambda e: (-gaps[e], e))[:5]             # the longest gaps between readings
    picks += [e for e in names if n_rows[e] == 1][:2]                   # a single reading
    picks += sorted([e for e in names if e not in failing], key=lambda e: (-n_rows[e], e))[:2]  # long, no failure
    rng = np.random.RandomState(0)
    picks += list(rng.choice(names, size=5, replace=False))
    out = {}
    for e in picks:
        if e in out:
            continue
        rows = by[e]
        d = days[rows]
        chosen = {0, 1, 2, len(rows) - 1}
        for k in np.flatnonzero(np.diff(d) > 1):                         # around each gap
            chosen.update((int(k), int(k) + 1, int(k) + 2))
        for k in np.flatnonzero(y[rows] == 1):                            # the failure and the week before
            chosen.update(range(int(k) - 7, int(k) + 1))
        chosen.update(range(0, len(rows), 15))                            # along long histories
        out[e] = sorted(c for c in chosen if 0 <= c < len(rows))
    return out, by


def write_history_features(path: str, domain, ds):
    """ds: the domain's loaded data (with days, entities, lines and history)."""
    h = ds.history
    with open(ds.path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        columns = next(reader)
        cells = [row for row in reader]
    chosen, by = _chosen_devices(h)
    file_rows, expected = set(), []
    for e, positions in chosen.items():
        rows = by[e]
        last_day = h.days[rows[positions[-1]]]
        # every reading of the device in the file up to its last chosen day, set-aside ones included
        file_rows.update(np.flatnonzero((ds.entities == e) & (ds.days <= last_day)).tolist())
        for k in positions:
            r = rows[k]
            expected.append((int(h.lines[r]), _row_out(h.lines[r], e, h.days[r], h.X[r])))
    order = sorted(file_rows)
    expected = [t for _, t in sorted(expected)]
    data_case = _case_text(f"{ds.file}: {len(chosen)} devices, all their rows up to the chosen days", columns,
                           [cells[r] for r in order], [int(ds.lines[r]) for r in order], expected,
                           _set_aside(ds, h, order))
    parts = ["{", f'  "note": {json.dumps(FEATURE_NOTE)},', f'  "features": {json.dumps(h.features)},',
             '  "cases": [', data_case + ",", synthetic_case(domain, columns), "  ]", "}"]
    write_text(path, "\n".join(parts) + "\n")
    return len(expected), len(order), columns


def _set_aside(ds, h, order) -> list:
    """Readings among `order` (file rows) replaced by a later one of the same device and day."""
    kept = set(int(r) for r in h.file_rows)
    out = []
    for r in order:
        if r not in kept:
            later = [k for k in order if k > r and ds.entities[k] == ds.entities[r] and ds.days[k] == ds.days[r]]
            out.append({"line": int(ds.lines[r]), "kept_line": int(ds.lines[later[-1]]),
                        "device": str(ds.entities[r]), "date": format_day(ds.days[r])})
    return out


def synthetic_log(columns: list) -> list:
    """A small generated log (rows of cells, file order): rows out of order, a gap, duplicates
    (a pair and a chain of three on one day), a device with one reading, a value that falls."""
    rng = np.random.RandomState(0)
    width = len(columns)
    rows = []

    def reading(date, device, counters):
        cells = {c: "0" for c in columns}
        cells[columns[0]], cells[columns[1]] = date, device
        for c, v in counters.items():
            cells[c] = str(v)
        return [cells[c] for c in columns][:width]

    metric_cols = [c for c in columns if c.startswith("attribute")]

    def counters(level):
        return {c: int(level * (j + 1) + rng.randint(0, 3)) for j, c in enumerate(metric_cols)}

    days_a = ["2015-01-01", "2015-01-02", "2015-01-03", "2015-01-09", "2015-01-10", "2015-02-08", "2015-02-09",
              "2015-02-10"]
    for k, d in enumerate(days_a):
        rows.append(reading(d, "SYN-A", counters(k)))
    for k in range(6):
        rows.append(reading(f"2015-01-{k + 5:02d}", "SYN-B", counters(5 - k)))  # falling counters
    rows.append(reading("2015-01-07", "SYN-B", counters(9)))    # later duplicate of SYN-B's 2015-01-07: kept
    for k in range(3):
        rows.append(reading("2015-01-20", "SYN-C", counters(k + 1)))  # chain of three: the last one kept
    rows.append(reading("2015-01-18", "SYN-C", counters(0)))
    rows.append(reading("2015-01-31", "SYN-C", counters(4)))
    rows.append(reading("2015-03-01", "SYN-D", counters(2)))     # a single reading
    order = rng.permutation(len(rows))                          # out of file order
    return [rows[i] for i in order]


def synthetic_case(domain, columns: list) -> str:
    hist = domain.history
    rows = synthetic_log(columns)
    lines = list(range(2, len(rows) + 2))
    date_i, ent_i = columns.index(hist.date_column), columns.index(hist.entity_column)
    inputs = inputs_of(hist.features)
    col_of = {f.name: next(c for c in f.columns if c in columns) for f in domain.fields}
    values = np.asarray([[float(r[columns.index(col_of[c])]) for c in inputs] for r in rows])
    days = np.asarray([parse_day(r[date_i]) for r in rows], dtype=np.int64)
    ents = np.asarray([r[ent_i] for r in rows])
    kept, X, a = compute(hist.features, ents, days, values, inputs)
    expected = [_row_out(lines[r], ents[r], days[r], X[i]) for i, r in enumerate(kept)]
    aside = [{"line": lines[i], "kept_line": lines[k], "device": str(ents[i]), "date": format_day(days[i])}
             for i, k in sorted(a.set_aside)]
    return _case_text("generated log: rows out of order, gaps, duplicates (a pair, a chain of three), one reading",
                      columns, rows, lines, expected, aside)


RANDOM_SEED = 18
RANDOM_NOTE = (
    "A seeded random log (golden_history.random_log): devices with gaps of every length, duplicates of one device "
    "and date (pairs and chains), counters that rise, fall, reset and jump, all rows in random order. `expected` "
    "holds the history features (float64) of every kept reading; they are exact (integer counters), so the app "
    "must match them exactly. Same case format as <id>-features.json."
)


def random_log(columns: list, label_column: str, date_column: str, entity_column: str, inputs_cols: list,
               seed: int = RANDOM_SEED, devices: int = 24) -> list:
    """Rows of cells in file order. Counters are integers up to 2^31 - 1 (the fields' limit), so
    every feature is exact in float64 in both languages."""
    rng = np.random.RandomState(seed)
    top = 2 ** 31 - 1
    rows = []
    for d in range(devices):
        name = f"R{d:02d}{rng.randint(16 ** 4):04X}"
        day = parse_day("2015-01-01") + int(rng.randint(0, 60))
        level = rng.randint(0, 1000, size=len(inputs_cols)).astype(np.int64)
        for _ in range(int(rng.choice([1, 2, 5, 20, 40, 60]))):
            step = rng.randint(0, 20)
            level = np.clip(level + rng.randint(-3, 8, size=len(level)) * (rng.rand(len(level)) < 0.6), 0, top)
            if step == 0:
                level = np.where(rng.rand(len(level)) < 0.5, 0, level)                  # counters reset
            elif step == 1:
                level = np.clip(level + rng.randint(0, 10 ** 8, size=len(level)), 0, top)  # a jump
            gap = int(rng.choice([1, 1, 1, 1, 2, 3, 6, 7, 8, 29, 30, 31, 45]))          # around the 3/7/30-day windows
            day += gap
            for copy in range(int(rng.choice([1] * 12 + [2, 2, 3]))):                   # duplicates of the day
                vals = level if copy == 0 else np.clip(level + rng.randint(-5, 6, size=len(level)), 0, top)
                cells = {c: "0" for c in columns}
                cells[date_column], cells[entity_column] = format_day(day), name
                cells[label_column] = str(int(rng.rand() < 0.03))
                for c, v in zip(inputs_cols, vals):
                    cells[c] = str(int(v))
                rows.append([cells[c] for c in columns])
    return [rows[i] for i in rng.permutation(len(rows))]


def write_random_log(path: str, domain, columns: list, label_column: str):
    """<id>-random-log.json: the random log and the features of each kept reading (all of them)."""
    hist = domain.history
    inputs = inputs_of(hist.features)
    col_of = {f.name: next(c for c in f.columns if c in columns) for f in domain.fields}
    rows = random_log(columns, label_column, hist.date_column, hist.entity_column, [col_of[c] for c in inputs])
    lines = list(range(2, len(rows) + 2))
    values = np.asarray([[float(r[columns.index(col_of[c])]) for c in inputs] for r in rows])
    days = np.asarray([parse_day(r[columns.index(hist.date_column)]) for r in rows], dtype=np.int64)
    ents = np.asarray([r[columns.index(hist.entity_column)] for r in rows])
    kept, X, a = compute(hist.features, ents, days, values, inputs)
    expected = [_row_out(lines[r], ents[r], days[r], X[i]) for i, r in enumerate(kept)]
    aside = [{"line": lines[i], "kept_line": lines[k], "device": str(ents[i]), "date": format_day(days[i])}
             for i, k in sorted(a.set_aside)]
    case = _case_text(f"random log (seed {RANDOM_SEED}): {len(set(ents.tolist()))} devices, {len(rows)} rows, "
                      f"{len(aside)} set aside", columns, rows, lines, expected, aside)
    parts = ["{", f'  "note": {json.dumps(RANDOM_NOTE)},', f'  "features": {json.dumps(hist.names)},',
             '  "cases": [', case, "  ]", "}"]
    write_text(path, "\n".join(parts) + "\n")
    return len(rows), len(aside)


def write_all_probabilities(path: str, model_id: str, ds, file_rows, p):
    """One line per data row of the file, in file order: P(class 1) with 9 significant digits
    ('-' for a row set aside by the duplicate rule); first line a '#' note. gzip, no name or time stamp."""
    out = ["-"] * ds.rows
    for r, v in zip(file_rows, p):
        out[int(r)] = f"{float(v):.9g}"
    note = (f"# {model_id}: scikit-learn predict_proba[:, 1] of the shipped model for each data row of {ds.file} "
            f"({ds.rows} rows, sha256 {ds.sha256}), one line per data row in file order (the k-th line after this note "
            "= data row k-1 = file line k+1), 9 significant digits, from the history features rounded to float32; "
            "'-' = a row set aside by the duplicate rule")
    data = ("\n".join([note] + out) + "\n").encode("utf-8")
    with open(path, "wb") as f:
        f.write(gzip.compress(data, compresslevel=9, mtime=0))
