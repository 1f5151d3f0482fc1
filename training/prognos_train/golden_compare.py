"""Compare two exports of the golden JSON files: structure exactly, numbers within a tolerance.

The golden files hold float64 probabilities written as exact reprs. Some of them (the logistic
regressions' and the metric cases built on them) come from a solver whose last bits depend on
the BLAS kernel the processor selects, so a byte comparison holds only on machines like the one
that wrote them. Two numbers agree when |a - b| <= ATOL + RTOL * |b|. Everything else must be
equal: the same keys in the same order, the same list lengths, the same strings, booleans and
nulls, a number where there was a number.

    /usr/bin/python3 training/prognos_train/golden_compare.py COMMITTED_DIR FRESH_DIR

prints each difference as file, JSON path, both values and the difference (the first few per
file, then a count), and exits 1 when there is one. Files that are not JSON are compared byte
for byte; a file present on one side only is a difference.
"""
from __future__ import annotations

import json
import math
import os
import sys
from dataclasses import dataclass
from typing import Any, Iterator

ATOL = 1e-9
RTOL = 1e-9
SHOWN_PER_FILE = 10


@dataclass(frozen=True)
class Difference:
    path: str  # JSON path, e.g. $.cases[3].p[17]
    what: str  # one sentence
    expected: Any = None
    actual: Any = None
    delta: float | None = None

    def __str__(self) -> str:
        if self.delta is not None:
            return (f"{self.path}: {self.expected!r} (committed) vs {self.actual!r} (fresh), "
                    f"difference {self.delta:.3g}")
        return f"{self.path}: {self.what}"


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _kind(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if _is_number(v):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "list"
    if isinstance(v, dict):
        return "object"
    return type(v).__name__


def numbers_agree(a: float, b: float, atol: float = ATOL, rtol: float = RTOL) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= atol + rtol * abs(a)


def compare(expected: Any, actual: Any, path: str = "$", atol: float = ATOL,
            rtol: float = RTOL) -> Iterator[Difference]:
    """Every difference between two parsed JSON values, depth first, in document order."""
    if _is_number(expected) and _is_number(actual):
        if not numbers_agree(float(expected), float(actual), atol, rtol):
            yield Difference(path, "numbers differ", expected, actual, abs(float(expected) - float(actual)))
        return
    ke, ka = _kind(expected), _kind(actual)
    if ke != ka:
        yield Difference(path, f"a {ke} ({_preview(expected)}) became a {ka} ({_preview(actual)})")
        return
    if ke == "object":
        keys_e, keys_a = list(expected), list(actual)
        for k in keys_e:
            if k not in actual:
                yield Difference(f"{path}.{k}", "key missing from the fresh export")
        for k in keys_a:
            if k not in expected:
                yield Difference(f"{path}.{k}", "key added in the fresh export")
        common_e = [k for k in keys_e if k in actual]
        common_a = [k for k in keys_a if k in expected]
        if common_e != common_a:
            yield Difference(path, f"keys in another order: {common_e} vs {common_a}")
        for k in common_e:
            yield from compare(expected[k], actual[k], f"{path}.{k}", atol, rtol)
    elif ke == "list":
        if len(expected) != len(actual):
            yield Difference(path, f"{len(expected)} items committed, {len(actual)} in the fresh export")
        for i, (e, a) in enumerate(zip(expected, actual)):
            yield from compare(e, a, f"{path}[{i}]", atol, rtol)
    elif expected != actual:
        yield Difference(path, f"{_preview(expected)} (committed) vs {_preview(actual)} (fresh)")


def _preview(v: Any, limit: int = 60) -> str:
    text = json.dumps(v)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class FileReport:
    name: str
    differences: list[Difference]
    numbers: int = 0  # numbers compared
    largest_abs: float = 0.0
    largest_rel: float = 0.0


def _numbers(expected: Any, actual: Any) -> Iterator[tuple[float, float]]:
    if _is_number(expected) and _is_number(actual):
        yield float(expected), float(actual)
    elif isinstance(expected, dict) and isinstance(actual, dict):
        for k in expected:
            if k in actual:
                yield from _numbers(expected[k], actual[k])
    elif isinstance(expected, list) and isinstance(actual, list):
        for e, a in zip(expected, actual):
            yield from _numbers(e, a)


def compare_files(committed: str, fresh: str, name: str) -> FileReport:
    with open(committed, "rb") as f:
        raw_e = f.read()
    with open(fresh, "rb") as f:
        raw_a = f.read()
    if raw_e == raw_a:
        return FileReport(name, [])
    if not name.endswith(".json"):
        return FileReport(name, [Difference("(bytes)", "differs byte for byte (not a JSON file, so no tolerance)")])
    try:
        e, a = json.loads(raw_e), json.loads(raw_a)
    except ValueError as err:
        return FileReport(name, [Difference("(file)", f"is not valid JSON: {err}")])
    report = FileReport(name, list(compare(e, a)))
    for x, y in _numbers(e, a):
        if x == y or math.isnan(x) or math.isnan(y) or math.isinf(x) or math.isinf(y):
            continue
        report.numbers += 1
        d = abs(x - y)
        report.largest_abs = max(report.largest_abs, d)
        if x != 0:
            report.largest_rel = max(report.largest_rel, d / abs(x))
    return report


def compare_dirs(committed: str, fresh: str) -> list[FileReport]:
    names_c = sorted(os.listdir(committed))
    names_f = sorted(os.listdir(fresh))
    reports = []
    for n in names_c:
        if n not in names_f:
            reports.append(FileReport(n, [Difference("(file)", "missing from the fresh export")]))
        else:
            reports.append(compare_files(os.path.join(committed, n), os.path.join(fresh, n), n))
    for n in names_f:
        if n not in names_c:
            reports.append(FileReport(n, [Difference("(file)", "written by the fresh export but not committed")]))
    return reports


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: golden_compare.py COMMITTED_DIR FRESH_DIR", file=sys.stderr)
        return 2
    committed, fresh = argv
    failed = False
    noisy = []
    for r in compare_dirs(committed, fresh):
        if r.differences:
            failed = True
            print(f"{os.path.join(committed, r.name)}: {len(r.differences)} difference(s) "
                  f"beyond {ATOL:g} + {RTOL:g} x |value|", file=sys.stderr)
            for d in r.differences[:SHOWN_PER_FILE]:
                print(f"  {d}", file=sys.stderr)
            if len(r.differences) > SHOWN_PER_FILE:
                print(f"  ... and {len(r.differences) - SHOWN_PER_FILE} more", file=sys.stderr)
        elif r.numbers:
            noisy.append(r)
    for r in noisy:
        print(f"{os.path.join(committed, r.name)}: {r.numbers} number(s) differ in the last digits, "
              f"largest {r.largest_abs:.2g} absolute, {r.largest_rel:.2g} relative (within tolerance)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
