"""Reading and validating a domain's CSV data, as its declaration (domains/<id>.json) describes it.

Every problem is reported as a DataError whose message names the file, the 1-based line
number in the file (the header is line 1) and the column, so a user retraining on their
own copy of the data can find the bad cell.
"""
from __future__ import annotations

import csv
import hashlib
import math
import os
from dataclasses import dataclass

import numpy as np


class DataError(Exception):
    """Bad input data; the message names file, line and column."""


@dataclass
class Dataset:
    name: str            # the domain id
    path: str
    file: str            # base name
    sha256: str
    features: list       # the domain's field names, in declaration order
    units: dict          # field name -> unit written in the manifest
    X: np.ndarray        # float64 [n, len(features)], raw values as parsed
    y: np.ndarray        # int64 [n] in {0, 1}
    groups: np.ndarray | None  # group id per row (domains with a group column only)
    # Domains with a `history` section: each row's day (days since 1970-01-01), entity and
    # 1-based file line; `history` = the features of the kept readings (history.py).
    days: np.ndarray | None = None
    entities: np.ndarray | None = None
    lines: np.ndarray | None = None
    history: "Dataset | None" = None
    file_rows: np.ndarray | None = None  # for a history dataset: its rows' 0-based data-row indices in the file

    @property
    def rows(self) -> int:
        return int(self.X.shape[0])

    @property
    def positives(self) -> int:
        return int(self.y.sum())


def sha256_of(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_table(path: str, numeric: list, label: str, text: list = (), with_lines: bool = False) -> tuple:
    """Read `path`; return (numeric matrix, labels, {text column: list}), and with_lines the
    1-based file line of each row as a fourth item.

    numeric: columns parsed as finite numbers, in this order; an item may be a tuple of
        acceptable names (a field and its aliases), exactly one of which must be present.
    label: a column whose values must be 0 or 1.
    text: columns kept as strings (must be non-empty).
    """
    if not os.path.isfile(path):
        raise DataError(f"{path}: file not found")
    try:
        f = open(path, newline="", encoding="utf-8")
    except OSError as e:
        raise DataError(f"{path}: cannot open: {e.strerror}") from e
    with f:
        reader = csv.reader(f)
        try:
            header = next(reader)
        except StopIteration:
            raise DataError(f"{path}: line 1: the file is empty (expected a header row)") from None
        except (csv.Error, UnicodeDecodeError) as e:
            raise DataError(f"{path}: line 1: cannot read the header: {e}") from None
        header = [h.strip() for h in header]
        if header and header[0].startswith("\ufeff"):
            header[0] = header[0][1:]
        shown = {}  # missing column -> how the message names it (with the field's aliases)
        for c in numeric:
            if not isinstance(c, str):
                shown[c[0]] = repr(c[0]) + "".join(f" (or {a!r})" for a in c[1:])
        numeric = [_pick_column(path, header, c) for c in numeric]
        wanted = list(numeric) + [label] + list(text)
        missing = [c for c in wanted if c not in header]
        if missing:
            raise DataError(
                f"{path}: line 1: missing column{'s' if len(missing) > 1 else ''} "
                + ", ".join(shown.get(c, repr(c)) for c in missing)
                + f" (the header has: {', '.join(header)})"
            )
        dup = sorted({c for c in wanted if header.count(c) > 1})
        if dup:
            raise DataError(f"{path}: line 1: column {dup[0]!r} appears more than once")
        pos = {c: header.index(c) for c in wanted}
        num_pos = [pos[c] for c in numeric]
        lab_pos = pos[label]
        txt_pos = [pos[c] for c in text]
        width = len(header)
        values, labels, row_lines = [], [], []
        texts = {c: [] for c in text}
        line = 1
        try:
            for row in reader:
                line = reader.line_num
                if not row or (len(row) == 1 and row[0].strip() == ""):
                    raise DataError(f"{path}: line {line}: empty row")
                if len(row) != width:
                    raise DataError(f"{path}: line {line}: expected {width} fields as in the header, found {len(row)}")
                vals = []
                for c, p in zip(numeric, num_pos):
                    cell = row[p].strip()
                    try:
                        v = float(cell)
                    except ValueError:
                        v = math.nan
                        if cell == "":
                            raise DataError(f"{path}: line {line}, column {c!r}: empty cell (expected a number)") from None
                    if not math.isfinite(v):
                        raise DataError(f"{path}: line {line}, column {c!r}: {cell!r} is not a number")
                    vals.append(v)
                cell = row[lab_pos].strip()
                if cell in ("0", "1"):
                    labels.append(int(cell))
                else:
                    try:
                        lv = float(cell)
                    except ValueError:
                        lv = math.nan
                    if lv in (0.0, 1.0):
                        labels.append(int(lv))
                    else:
                        raise DataError(f"{path}: line {line}, column {label!r}: expected 0 or 1, found {cell!r}")
                for c, p in zip(text, txt_pos):
                    cell = row[p].strip()
                    if cell == "":
                        raise DataError(f"{path}: line {line}, column {c!r}: empty cell")
                    texts[c].append(cell)
                values.append(vals)
                row_lines.append(line)
        except csv.Error as e:
            raise DataError(f"{path}: line {reader.line_num}: malformed CSV: {e}") from None
        except UnicodeDecodeError as e:
            raise DataError(f"{path}: near line {line + 1}: not valid UTF-8: {e.reason}") from None
    if not values:
        raise DataError(f"{path}: no data rows after the header")
    X = np.asarray(values, dtype=np.float64).reshape(len(values), len(numeric))
    y = np.asarray(labels, dtype=np.int64)
    if y.min() == y.max():
        raise DataError(f"{path}: column {label!r}: every row has the value {int(y[0])}; both classes 0 and 1 are needed")
    if with_lines:
        return X, y, texts, np.asarray(row_lines, dtype=np.int64)
    return X, y, texts


def _pick_column(path: str, header: list, names) -> str:
    """The one header column among a field's names (the field's own name, then its aliases)."""
    if isinstance(names, str):
        return names
    present = [n for n in names if n in header]
    if len(present) > 1:
        raise DataError(f"{path}: line 1: columns {present[0]!r} and {present[1]!r} both hold field {names[0]!r}; keep one")
    # none present: the field's own name, which the missing-column message then reports
    return present[0] if present else names[0]


def load(domain, data_dir: str) -> Dataset:
    """Read the domain's data file: one column per declared field (its name or an alias), the label and group.

    A domain with a `history` section also reads its date and entity columns (a date must be an
    ISO calendar date) and computes the history features of every kept reading (`ds.history`).
    """
    path = os.path.join(data_dir, domain.data_file)
    hist = domain.history
    text = [domain.group_column] if domain.group_column else []
    if hist is not None:
        text += [c for c in (hist.date_column, hist.entity_column) if c not in text]
    X, y, texts, lines = read_table(path, [f.columns for f in domain.fields], domain.label_column, text, with_lines=True)
    groups = np.asarray(texts[domain.group_column]) if domain.group_column else None
    ds = Dataset(domain.id, path, domain.data_file, sha256_of(path), [f.name for f in domain.fields],
                 {f.name: f.manifest_unit for f in domain.fields}, X, y, groups)
    if hist is not None:
        from .history import parse_day, date_problem, history_dataset
        days = np.empty(len(y), dtype=np.int64)
        for i, cell in enumerate(texts[hist.date_column]):
            d = parse_day(cell)
            if d is None:
                raise DataError(f"{path}: line {lines[i]}, column {hist.date_column!r}: {date_problem(cell)}")
            days[i] = d
        ds.days, ds.entities, ds.lines = days, np.asarray(texts[hist.entity_column]), lines
        ds.history = history_dataset(ds, domain)
    return ds
