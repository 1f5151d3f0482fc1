"""Output files: golden predictions, metric cases, manifest, results.md and the model table of docs/models.md.

Every writer produces the same bytes for the same inputs (fixed key order, fixed number
formats, "\\n" line ends), which training/check-reproducible.sh relies on.
"""
from __future__ import annotations

import json
import os
import platform

import numpy as np
import onnx
import scipy
import sklearn
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    f1_score,
    matthews_corrcoef,
    precision_score,
    recall_score,
    roc_auc_score,
)

from .evaluation import METRIC_NAMES, confusion, rnd

TABLE_START = "<!-- models:start -->"
TABLE_END = "<!-- models:end -->"
TABLE_DOC = os.path.join("docs", "models.md")  # the page whose block is replaced, under the output folder
TABLE_BLOCK_FILE = "models-table.md"  # the block alone, when the output folder has no docs/models.md to update


def write_text(path: str, text: str):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


# ---------------------------------------------------------------- golden predictions


def golden_rows(ds, limit: int) -> np.ndarray:
    """All rows up to `limit`; above it, all positives, the first row holding the min and the
    max of each field, then a fixed-seed sample of the rest, `limit` rows in all."""
    if ds.rows <= limit:
        return np.arange(ds.rows)
    keep = set(np.flatnonzero(ds.y == 1).tolist())
    for j in range(ds.X.shape[1]):
        keep.add(int(np.argmin(ds.X[:, j])))
        keep.add(int(np.argmax(ds.X[:, j])))
    rest = np.setdiff1d(np.arange(ds.rows), np.fromiter(keep, dtype=np.int64))
    rng = np.random.RandomState(0)
    extra = rng.choice(rest, size=max(0, limit - len(keep)), replace=False)
    return np.sort(np.r_[np.fromiter(keep, dtype=np.int64), extra])


def _row(values) -> str:
    return json.dumps([float(v) for v in values], separators=(",", ":"))


def write_golden(path: str, model_id: str, features: list, rows: np.ndarray, inputs: np.ndarray, labels, proba):
    """One array element per line: diffable, and much smaller than indent=2."""
    parts = [
        "{",
        f'  "model": {json.dumps(model_id)},',
        f'  "features": {json.dumps(features)},',
        f'  "rows": {json.dumps([int(r) for r in rows], separators=(",", ":"))},',
        '  "inputs": [\n' + ",\n".join("    " + _row(r) for r in inputs) + "\n  ],",
        f'  "labels": {json.dumps([int(v) for v in labels], separators=(",", ":"))},',
        '  "probabilities": [\n' + ",\n".join("    " + _row(r) for r in proba) + "\n  ]",
        "}",
    ]
    write_text(path, "\n".join(parts) + "\n")


# ---------------------------------------------------------------- metric cases


HAND_CASES = [
    ("hand case with tied scores and a score equal to the threshold",
     [0, 1, 0, 1, 1, 0, 0, 1, 0, 0], [0.1, 0.4, 0.4, 0.8, 0.5, 0.5, 0.2, 0.9, 0.9, 0.0], 0.5),
    ("hand case where nothing reaches the threshold", [0, 1, 0, 1, 0], [0.1, 0.3, 0.2, 0.3, 0.05], 0.9),
]


def metric_case(name: str, y, p, threshold: float) -> dict:
    y = np.asarray(y, dtype=np.int64)
    p = np.asarray(p, dtype=np.float64)
    pred = (p >= threshold).astype(int)
    return {
        "name": name,
        "y_true": [int(v) for v in y],
        "p": [float(v) for v in p],
        "threshold": float(threshold),
        "roc_auc": float(roc_auc_score(y, p)),
        "pr_auc": float(average_precision_score(y, p)),
        "mcc": float(matthews_corrcoef(y, pred)),
        "f1": float(f1_score(y, pred, zero_division=0)),
        "precision": float(precision_score(y, pred, zero_division=0)),
        "recall": float(recall_score(y, pred, zero_division=0)),
        "accuracy": float(accuracy_score(y, pred)),
        "confusion": confusion(y, p, threshold),
    }


def declared_case(case: dict, ev: dict, shipped_threshold: float) -> dict:
    """A case from evaluation.metric_cases: split 0's held-out predictions at that split's threshold,
    or all positives + a fixed-seed sample of the pooled predictions at the shipped threshold."""
    if case["source"] == "split0":
        y, p, t = ev["split0"]
        return metric_case(case["name"], y, p, t)
    y, p = ev["pooled_y"], ev["pooled_p"]
    pos, neg = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    rng = np.random.RandomState(0)
    size = min(len(neg), max(0, case["rows"] - len(pos)))
    sample = np.sort(np.r_[pos, rng.choice(neg, size=size, replace=False)])
    return metric_case(case["name"], y[sample], p[sample], shipped_threshold)


def write_metric_cases(path: str, cases: list):
    parts = []
    for c in cases:
        lines = [f'    {json.dumps(k)}: {json.dumps(v, separators=(",", ":"))}' for k, v in c.items()]
        parts.append("  {\n" + ",\n".join(lines) + "\n  }")
    note = ("scikit-learn " + sklearn.__version__ + "; predicted positive iff p >= threshold; pr_auc is "
            "average_precision_score; precision is 0 when nothing is flagged (zero_division=0)")
    write_text(path, '{\n"note": ' + json.dumps(note) + ',\n"cases": [\n' + ",\n".join(parts) + "\n]\n}\n")


# ---------------------------------------------------------------- manifest


def feature_stats(ds, names: list) -> list:
    out = []
    for n in names:
        col = ds.X[:, ds.features.index(n)]
        out.append({
            "name": n,
            "unit": ds.units[n],
            "min": rnd(col.min()),
            "p1": rnd(np.percentile(col, 1)),
            "median": rnd(np.median(col)),
            "p99": rnd(np.percentile(col, 99)),
            "max": rnd(col.max()),
        })
    return out


def library_versions() -> dict:
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "scikit-learn": sklearn.__version__,
        "onnx": onnx.__version__,
    }


def write_manifest(path: str, entries: list):
    write_text(path, json.dumps({"schema_version": 1, "models": entries}, indent=2, ensure_ascii=False) + "\n")


# ---------------------------------------------------------------- results.md and the model table


def _fmt(m: dict) -> str:
    return f"{m['mean']:.3f} ± {m['sd']:.3f}" if m["sd"] is not None else f"{m['mean']:.3f}"


def results_markdown(summaries: list, entries: list, evaluations: dict, finals: dict, sizes: dict) -> str:
    """summaries: one sentence per domain saying what mean and sd are (protocols.summary)."""
    cols = METRIC_NAMES
    lines = [
        "# Results (generated by training/train.py; do not edit)",
        "",
        "Mean ± sd. " + " ".join(summaries),
        "pr_auc = scikit-learn average_precision_score. Threshold-dependent figures use, for each split or fold, the",
        "threshold chosen inside its training part (seed models: 0.5, an exact 0.5 not flagged, as in scikit-learn's",
        "predict; stored as 0.5000000000000001).",
        "",
        "| model | " + " | ".join(cols) + " | threshold | file size |",
        "|---" * (len(cols) + 3) + "|",
    ]
    for e in entries:
        m = e["evaluation"]["metrics"]
        lines.append(f"| {e['id']} | " + " | ".join(_fmt(m[c]) for c in cols)
                     + f" | {e['threshold']} | {sizes[e['id']] / 1024:.0f} KiB |")
    lines += ["", "## Selection", ""]
    for mid, ev in evaluations.items():
        chosen = ", ".join(f"{k} x{v}" for k, v in sorted(ev["chosen"].items()))
        th = ev["thresholds"]
        lines.append(f"- {mid}: chosen in the outer splits: {chosen}; thresholds chosen there: "
                     f"median {np.median(th):.4g}, range {min(th):.4g} .. {max(th):.4g}")
    lines += ["", "Shipped models (selection by inner CV on all rows):", ""]
    for mid, f in finals.items():
        aucs = ", ".join(f"{k} {v:.4f}" for k, v in f.inner_auc.items())
        lines.append(f"- {mid}: {f.candidate.description}; threshold {f.threshold}"
                     + (f"; inner pooled ROC AUC: {aucs}" if aucs else ""))
    return "\n".join(lines) + "\n"


def model_table_block(entries: list) -> str:
    """The model table of docs/models.md, from the manifest entries, between its two marker lines."""
    lines = [TABLE_START, "| id | domain | what | ROC AUC | PR AUC | MCC | threshold |", "|---" * 7 + "|"]
    for e in entries:
        m = e["evaluation"]["metrics"]
        lines.append(f"| `{e['id']}`{' (default)' if e['default'] else ''} | {e['domain']} | {e['family']} | "
                     f"{_fmt(m['roc_auc'])} | {_fmt(m['pr_auc'])} | {_fmt(m['mcc'])} | {e['threshold']:.4g} |")
    return "\n".join(lines + evidence_table_lines(entries) + [TABLE_END]) + "\n"


def evidence_table_lines(entries: list) -> list:
    """Issue 22's figures per model (card_evidence.py): one out-of-fold probability per case."""
    rows = [e for e in entries if "out_of_fold" in e["evaluation"]]
    if not rows:
        return []
    lines = ["", "Out of fold, one probability per case (patient: the mean of its held-out predictions; reading: its "
             "fold's): ROC AUC with a Hanley-McNeil 95 % interval, calibration intercept and slope with Wald 95 % "
             "intervals, and, where declared, how often the observed share of held-out cases fell inside their "
             "interval (the similar cases' Wilson interval, built from the other folds; groups of cases sorted by "
             "interval; first split, then all splits).", "",
             "| id | cases (events) | ROC AUC (95 % CI) | calibration intercept (95 % CI) | slope (95 % CI) | "
             "interval: groups inside / overlapping (mean width); inside over all splits |", "|---" * 6 + "|"]
    for e in rows:
        o = e["evaluation"]["out_of_fold"]
        d, c, v = o["discrimination"], o["calibration_fit"], o.get("interval_validity")
        va = (f"{v['inside']} / {v['overlapping']} of {len(v['groups'])} ({v['mean_width'] * 100:.1f} points); "
              f"{v['repeats']['inside']} of {v['repeats']['groups']} ({v['repeats']['splits']} splits)" if v else "not computed")
        lines.append(f"| `{e['id']}` | {o['rows']} ({o['events']}) | {d['roc_auc']:.3f} ({d['low']:.3f}-{d['high']:.3f}) | "
                     f"{c['intercept']:.3f} ({c['intercept_low']:.3f} to {c['intercept_high']:.3f}) | "
                     f"{c['slope']:.3f} ({c['slope_low']:.3f} to {c['slope_high']:.3f}) | {va} |")
    return lines


def write_model_table(out_dir: str, entries: list) -> str:
    """Replace the block in out_dir/docs/models.md when it has one (out_dir is a checkout of the
    repo), else write the block alone to out_dir/models-table.md. Returns the path written."""
    block = model_table_block(entries)
    doc = os.path.join(out_dir, TABLE_DOC)
    if os.path.isfile(doc):
        with open(doc, encoding="utf-8", newline="") as f:
            text = f.read()
        start, end = text.find(TABLE_START), text.find(TABLE_END)
        if 0 <= start < end:
            end += len(TABLE_END)
            if text[end:end + 1] == "\n":
                end += 1
            write_text(doc, text[:start] + block + text[end:])
            return doc
    path = os.path.join(out_dir, TABLE_BLOCK_FILE)
    write_text(path, block)
    return path
