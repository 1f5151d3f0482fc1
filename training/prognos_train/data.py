"""Reading and validating the two CSV data sets.

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

HEART_FILE = "heart_failure_clinical_records_dataset.csv"
DEVICE_FILE = "device_failure.csv"

HEART_FEATURES = [
    "age", "anaemia", "creatinine_phosphokinase", "diabetes", "ejection_fraction",
    "high_blood_pressure", "platelets", "serum_creatinine", "serum_sodium", "sex", "smoking", "time",
]
HEART_LABEL = "DEATH_EVENT"
HEART_UNITS = {
    "age": "years", "anaemia": "0/1", "creatinine_phosphokinase": "mcg/L", "diabetes": "0/1",
    "ejection_fraction": "%", "high_blood_pressure": "0/1", "platelets": "kiloplatelets/mL",
    "serum_creatinine": "mg/dL", "serum_sodium": "mEq/L", "sex": "0/1", "smoking": "0/1", "time": "days",
}

# metricN is the data's attributeN; attribute8 duplicates attribute7 and is not used.
DEVICE_FEATURES = ["metric1", "metric2", "metric3", "metric4", "metric5", "metric6", "metric7", "metric9"]
DEVICE_SOURCE_COLUMNS = {f: "attribute" + f[len("metric"):] for f in DEVICE_FEATURES}
DEVICE_LABEL = "failure"
DEVICE_GROUP = "device"
DEVICE_UNITS = {f: "count" for f in DEVICE_FEATURES}


class DataError(Exception):
    """Bad input data; the message names file, line and column."""


@dataclass
class Dataset:
    name: str            # "heart" or "device"
    path: str
    file: str            # base name
    sha256: str
    features: list       # model feature names, in manifest order
    units: dict
    X: np.ndarray        # float64 [n, len(features)], raw values as parsed
    y: np.ndarray        # int64 [n] in {0, 1}
    groups: np.ndarray | None  # device id per row (device data only)

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


def read_table(path: str, numeric: list, label: str, text: list = ()) -> tuple:
    """Read `path`; return (numeric matrix, labels, {text column: list}).

    numeric: columns parsed as finite numbers, in this order.
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
        wanted = list(numeric) + [label] + list(text)
        missing = [c for c in wanted if c not in header]
        if missing:
            raise DataError(
                f"{path}: line 1: missing column{'s' if len(missing) > 1 else ''} "
                + ", ".join(repr(c) for c in missing)
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
        values, labels = [], []
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
    return X, y, texts


def load_heart(data_dir: str) -> Dataset:
    path = os.path.join(data_dir, HEART_FILE)
    X, y, _ = read_table(path, HEART_FEATURES, HEART_LABEL)
    return Dataset("heart", path, HEART_FILE, sha256_of(path), list(HEART_FEATURES), dict(HEART_UNITS), X, y, None)


def load_device(data_dir: str) -> Dataset:
    path = os.path.join(data_dir, DEVICE_FILE)
    cols = [DEVICE_SOURCE_COLUMNS[f] for f in DEVICE_FEATURES]
    X, y, texts = read_table(path, cols, DEVICE_LABEL, [DEVICE_GROUP])
    groups = np.asarray(texts[DEVICE_GROUP])
    return Dataset("device", path, DEVICE_FILE, sha256_of(path), list(DEVICE_FEATURES), dict(DEVICE_UNITS), X, y, groups)
