"""Evaluation, final fits, export and every output file of the pipeline."""
from __future__ import annotations

import hashlib
import json
import os
import platform
import time

import numpy as np
import onnx
import scipy
import sklearn
from joblib import Parallel, delayed
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    f1_score,
    matthews_corrcoef,
    precision_score,
    recall_score,
    roc_auc_score,
)
from sklearn.model_selection import train_test_split

from . import models as M
from .data import Dataset
from .evaluation import METRIC_NAMES, binary_metrics, chart_tables, confusion, rnd, summarise
from .onnx_export import INPUT_NAME, LABEL_NAME, PROBA_NAME, SelectColumns, export, to_bytes

HEART_REPS = 100
MODEL_VERSION = "1.0.0"
# "0.5, ties not flagged": the smallest double above 0.5, so that the app's rule p1 >= threshold
# flags exactly the rows scikit-learn's predict labels 1 (predict gives class 0 on an exact 0.5 tie).
# json.dumps writes it as 0.5000000000000001, which JSON.parse reads back as the same double.
SEED_THRESHOLD = float(np.nextafter(0.5, 1.0))
SEED_THRESHOLD_WORDS = ("0.5; a probability of exactly 0.5 is not flagged, as in scikit-learn's predict "
                        "(stored as 0.5000000000000001, the next double above 0.5)")
DEVICE_GOLDEN_ROWS = 2000
METRICS_SAMPLE_ROWS = 3000

HEART_PROTOCOL = (
    "100 repetitions of a stratified 80/20 split (random_state 0..99; 239 training, 60 test patients); "
    "mean and sd (ddof=1) over the repetitions. {selection} "
    "Charts, confusion matrix and threshold table pool the 6,000 held-out predictions "
    "(each patient about 20 times) at the shipped threshold."
)
DEVICE_PROTOCOL = (
    "5-fold cross-validation grouped by device (StratifiedGroupKFold, random_state 0; no device in both "
    "training and test); metric mean = value on the pooled out-of-fold predictions, sd over the 5 folds (ddof=1). "
    "{selection} Charts, confusion matrix and threshold table use the pooled out-of-fold predictions at the "
    "shipped threshold."
)
SEED_SELECTION = "Fixed threshold " + SEED_THRESHOLD_WORDS + "; no tuning."


def log(t0, msg):
    print(f"[{time.time() - t0:6.1f}s] {msg}", flush=True)


# ---------------------------------------------------------------- heart evaluation


def _heart_rep(rep: int, X12: np.ndarray, y: np.ndarray) -> dict:
    """One outer split: every heart model's held-out predictions and thresholds."""
    idx = np.arange(len(y))
    tr, te = train_test_split(idx, test_size=0.2, stratify=y, random_state=rep)
    X11 = X12[:, :11]
    out = {"test": te}
    seed = M.fit_fixed(M.heart_rf_seed(), X12[tr], y[tr])
    out["heart-rf-seed"] = (M.p1(seed, X12[te]), SEED_THRESHOLD, "rf-seed")
    base = M.select_and_fit(M.heart_baseline_candidates(), X11[tr], y[tr], M.heart_inner_cv())
    out["heart-baseline"] = (M.p1(base.model, X11[te]), base.threshold, base.candidate.name)
    lr = M.select_and_fit([M.heart_lr()], X11[tr], y[tr], M.heart_inner_cv())
    out["heart-lr"] = (M.p1(lr.model, X11[te]), lr.threshold, lr.candidate.name)
    return out


def evaluate_heart(ds: Dataset, jobs: int) -> dict:
    reps = Parallel(n_jobs=jobs)(delayed(_heart_rep)(r, ds.X, ds.y) for r in range(HEART_REPS))
    res = {}
    for mid in ("heart-baseline", "heart-lr", "heart-rf-seed"):
        per = [binary_metrics(ds.y[r["test"]], r[mid][0], r[mid][1]) for r in reps]
        chosen = {}
        for r in reps:
            chosen[r[mid][2]] = chosen.get(r[mid][2], 0) + 1
        res[mid] = {
            "metrics": {k: summarise([m[k] for m in per]) for k in METRIC_NAMES},
            "pooled_y": np.concatenate([ds.y[r["test"]] for r in reps]),
            "pooled_p": np.concatenate([r[mid][0] for r in reps]),
            "thresholds": [r[mid][1] for r in reps],
            "chosen": chosen,
            "split0": (ds.y[reps[0]["test"]], reps[0][mid][0], reps[0][mid][1]),
        }
    return res


# ---------------------------------------------------------------- device evaluation


def evaluate_device(ds: Dataset, jobs: int, t0) -> dict:
    X, y, g = ds.X, ds.y, ds.groups
    folds = list(M.device_outer_cv().split(X, y, g))
    ids = ("device-rf", "device-lr", "device-dt-seed")
    p = {k: np.zeros(len(y)) for k in ids}
    thr = {k: np.zeros(len(y)) for k in ids}
    per = {k: [] for k in ids}
    chosen = {k: {} for k in ids}
    for i, (tr, te) in enumerate(folds):
        fits = {
            "device-rf": M.select_and_fit(M.device_rf_candidates(), X[tr], y[tr], M.device_inner_cv(), g[tr], threads=jobs),
            "device-lr": M.select_and_fit([M.device_lr()], X[tr], y[tr], M.device_inner_cv(), g[tr]),
        }
        seed = M.fit_fixed(M.device_dt_seed(), X[tr], y[tr])
        for k in ids:
            if k == "device-dt-seed":
                pk, tk, name = M.p1(seed, X[te]), SEED_THRESHOLD, "dt-seed"
            else:
                f = fits[k]
                pk, tk, name = M.p1(f.model, X[te]), f.threshold, f.candidate.name
            p[k][te], thr[k][te] = pk, tk
            per[k].append(binary_metrics(y[te], pk, tk))
            chosen[k][name] = chosen[k].get(name, 0) + 1
        log(t0, f"device outer fold {i + 1}/5: rf chose {fits['device-rf'].candidate.name} "
                f"(inner AUC {', '.join(f'{n} {a:.4f}' for n, a in fits['device-rf'].inner_auc.items())})")
    res = {}
    for k in ids:
        pooled = binary_metrics(y, p[k], thr[k])  # each row at its own fold's threshold
        res[k] = {
            "metrics": {m: {"mean": rnd(pooled[m]), "sd": summarise([f[m] for f in per[k]])["sd"]} for m in METRIC_NAMES},
            "pooled_y": y,
            "pooled_p": p[k],
            "thresholds": sorted({float(t) for t in thr[k]}),
            "chosen": chosen[k],
        }
    return res


# ---------------------------------------------------------------- outputs


def sha256_bytes(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def f32(X: np.ndarray) -> np.ndarray:
    """The values the ONNX model receives (float32), as float64."""
    return np.asarray(X, dtype=np.float32).astype(np.float64)


def feature_stats(ds: Dataset, names: list) -> list:
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


def _row(values) -> str:
    return json.dumps([float(v) for v in values], separators=(",", ":"))


def write_text(path: str, text: str):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


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


def device_golden_rows(ds: Dataset) -> np.ndarray:
    """All failures, the first row holding the min and the max of each metric, then a fixed-seed sample."""
    keep = set(np.flatnonzero(ds.y == 1).tolist())
    for j in range(ds.X.shape[1]):
        keep.add(int(np.argmin(ds.X[:, j])))
        keep.add(int(np.argmax(ds.X[:, j])))
    rest = np.setdiff1d(np.arange(ds.rows), np.fromiter(keep, dtype=np.int64))
    rng = np.random.RandomState(M.SEED)
    extra = rng.choice(rest, size=max(0, DEVICE_GOLDEN_ROWS - len(keep)), replace=False)
    return np.sort(np.r_[np.fromiter(keep, dtype=np.int64), extra])


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


def write_metric_cases(path: str, cases: list):
    parts = []
    for c in cases:
        lines = [f'    {json.dumps(k)}: {json.dumps(v, separators=(",", ":"))}' for k, v in c.items()]
        parts.append("  {\n" + ",\n".join(lines) + "\n  }")
    note = ("scikit-learn " + sklearn.__version__ + "; predicted positive iff p >= threshold; pr_auc is "
            "average_precision_score; precision is 0 when nothing is flagged (zero_division=0)")
    write_text(path, '{\n"note": ' + json.dumps(note) + ',\n"cases": [\n' + ",\n".join(parts) + "\n]\n}\n")


# ---------------------------------------------------------------- model texts

HEART_COMMON_LIMITS = [
    "Trained on 299 patients from one hospital cohort (Faisalabad, Pakistan, 2015; Ahmad et al. 2017): "
    "small, and all patients had left ventricular systolic dysfunction (NYHA class III or IV). It may not transfer to other populations.",
    "The outcome is death during a follow-up of 4 to 285 days, not a fixed horizon.",
    "Not a medical device; for education and research. Do not use it for decisions about a patient's care.",
]
DEVICE_COMMON_LIMITS = [
    "Failures are rare: 106 of 124,494 daily readings (about 0.085 %), so even a good ranking flags many "
    "healthy devices for each failure it catches; read precision and flag rate, not accuracy.",
    "Single-day, device-agnostic readings: the model sees one day's eight anonymous counters, not a device's "
    "history, and is evaluated on devices it has never seen.",
    "The telemetry is anonymous (meaning and units of the counters are unknown) and covers 1,168 devices in 2015; "
    "other fleets or firmware may behave differently.",
]


def _device_kind(family: str) -> str:
    for prefix, kind in (("soft-voting", "random forest + logistic regression ensemble"),
                         ("RandomForest", "random forest"), ("ExtraTrees", "extra trees"),
                         ("LogisticRegression", "logistic regression")):
        if family.startswith(prefix):
            return kind
    return "model"


def texts(model_id: str, family: str, uses: list) -> dict:
    if model_id == "heart-baseline":
        return {
            "title": "Heart failure: best model without follow-up time",
            "intended_use": "Estimate, at a visit, the chance that a heart-failure patient like those in the study dies during "
                            "follow-up, from clinical values known at that time (not the follow-up length). The default heart model.",
            "limitations": [f"Chosen by inner cross-validation among random forests, extra trees, gradient boosting, logistic "
                            f"regressions and a soft-voting ensemble of forest, boosting and logistic regression; "
                            f"the shipped model is {family}."]
                           + ([f"It reads only {', '.join(M.HEART_CORE)}; the other inputs are accepted but do not change "
                               "the result."] if uses == M.HEART_CORE else [])
                           + HEART_COMMON_LIMITS,
        }
    if model_id == "heart-lr":
        return {
            "title": "Heart failure: logistic regression without follow-up time",
            "intended_use": "A transparent linear alternative to the default heart model on the same 11 inputs: "
                            "each input moves the log-odds of death by a fixed amount per unit.",
            "limitations": ["Linear in the raw inputs (after standardisation): it cannot capture thresholds or interactions."]
                           + HEART_COMMON_LIMITS,
        }
    if model_id == "heart-rf-seed":
        return {
            "title": "Heart failure: replaced service's random forest (uses follow-up time)",
            "intended_use": "Reproduces the behaviour of the service Prognos replaces, for comparison and for "
                            "seed-compatible requests. Not for predictions at a visit.",
            "limitations": [
                "Uses `time`, the length of follow-up, which ends at death or censoring and so is known only after the "
                "outcome. Short follow-up largely means early death: this leakage inflates its scores, and it cannot "
                "be used prospectively.",
                "Default hyperparameters and a fixed threshold of " + SEED_THRESHOLD_WORDS + ", as in the replaced service; not tuned.",
            ] + HEART_COMMON_LIMITS,
        }
    if model_id == "device-rf":
        return {
            "title": "Device failure: " + _device_kind(family) + " on one day's readings",
            "intended_use": "Rank devices by their chance of failing on the day of a reading, to decide which to inspect "
                            "first. The default device model.",
            "limitations": [f"Chosen by inner cross-validation among two random forests, extra trees, a class-balanced "
                            f"logistic regression and a soft vote of forest and regression; the shipped model is {family}. "
                            "Its probabilities are not calibrated to the real failure rate; use them to rank and compare "
                            "with the threshold."] + DEVICE_COMMON_LIMITS,
        }
    if model_id == "device-lr":
        return {
            "title": "Device failure: logistic regression on log counts",
            "intended_use": "A transparent linear alternative to the default device model: log1p of each counter, "
                            "standardised, then logistic regression.",
            "limitations": ["Linear in log1p of the counters: it cannot capture thresholds or interactions."]
                           + DEVICE_COMMON_LIMITS,
        }
    if model_id == "device-dt-seed":
        return {
            "title": "Device failure: replaced service's decision tree",
            "intended_use": "Reproduces the behaviour of the service Prognos replaces, for comparison and for "
                            "seed-compatible requests.",
            "limitations": [
                "A single fully grown tree with default parameters: it memorises the training rows, and on unseen "
                "devices it ranks little better than chance.",
                "Fixed threshold of " + SEED_THRESHOLD_WORDS + ", as in the replaced service; not tuned.",
            ] + DEVICE_COMMON_LIMITS,
        }
    raise KeyError(model_id)


# ---------------------------------------------------------------- run


def run(heart: Dataset, device: Dataset, out_dir: str, jobs: int, t0: float):
    models_dir = os.path.join(out_dir, "public", "models")
    golden_dir = os.path.join(out_dir, "training", "golden")
    os.makedirs(models_dir, exist_ok=True)
    os.makedirs(golden_dir, exist_ok=True)

    timings = {}
    t = time.time()
    ev_heart = evaluate_heart(heart, jobs)
    timings["heart evaluation (100 splits, nested)"] = time.time() - t
    log(t0, "heart evaluation done")

    t = time.time()
    ev_device = evaluate_device(device, jobs, t0)
    timings["device evaluation (5 grouped folds, nested)"] = time.time() - t
    log(t0, "device evaluation done")

    # ---- final models, on all rows
    t = time.time()
    X12, y_h = heart.X, heart.y
    X11 = X12[:, :11]
    finals = {}
    finals["heart-baseline"] = M.select_and_fit(M.heart_baseline_candidates(), X11, y_h, M.heart_inner_cv())
    finals["heart-lr"] = M.select_and_fit([M.heart_lr()], X11, y_h, M.heart_inner_cv())
    seed = M.heart_rf_seed()
    finals["heart-rf-seed"] = M.Fitted(seed, M.fit_fixed(seed, X12, y_h, jobs), SEED_THRESHOLD)
    Xd, yd, gd = device.X, device.y, device.groups
    finals["device-rf"] = M.select_and_fit(M.device_rf_candidates(), Xd, yd, M.device_inner_cv(), gd, threads=jobs)
    finals["device-lr"] = M.select_and_fit([M.device_lr()], Xd, yd, M.device_inner_cv(), gd)
    dt = M.device_dt_seed()
    finals["device-dt-seed"] = M.Fitted(dt, M.fit_fixed(dt, Xd, yd), SEED_THRESHOLD)
    timings["final fits (selection by inner CV on all rows)"] = time.time() - t
    log(t0, "final models fitted: " + ", ".join(f"{k}={v.candidate.name} t={v.threshold}" for k, v in finals.items()))

    # ---- export, golden, manifest
    t = time.time()
    specs = [
        ("heart-baseline", heart, M.HEART_NO_TIME, ["survival", "dead"], True, ev_heart),
        ("heart-lr", heart, M.HEART_NO_TIME, ["survival", "dead"], False, ev_heart),
        ("heart-rf-seed", heart, heart.features, ["survival", "dead"], False, ev_heart),
        ("device-rf", device, device.features, ["Non-Failure", "Failure"], True, ev_device),
        ("device-lr", device, device.features, ["Non-Failure", "Failure"], False, ev_device),
        ("device-dt-seed", device, device.features, ["Non-Failure", "Failure"], False, ev_device),
    ]
    dev_rows = device_golden_rows(device)
    entries, sizes = [], {}
    for mid, ds, feats, labels, is_default, ev in specs:
        fitted = finals[mid]
        cols = [ds.features.index(f) for f in feats]
        onx = export(fitted.model, len(feats), mid)
        blob = to_bytes(onx)
        fname = f"{mid}.onnx"
        with open(os.path.join(models_dir, fname), "wb") as f:
            f.write(blob)
        sizes[mid] = len(blob)

        rows = np.arange(ds.rows) if ds.name == "heart" else dev_rows
        inputs = f32(ds.X[np.ix_(rows, cols)])
        M.set_threads(fitted.model, 1)
        proba = fitted.model.predict_proba(inputs)
        pred = fitted.model.predict(inputs)
        write_golden(os.path.join(golden_dir, f"{mid}.json"), mid, feats, rows, inputs, pred, proba)

        e = ev[mid]
        is_seed = mid.endswith("-seed")
        if is_seed:
            selection = SEED_SELECTION
        elif ds.name == "heart":
            what = "Family, hyperparameters and threshold" if mid == "heart-baseline" else "Threshold"
            selection = (f"{what} chosen inside each training split by 5-fold stratified inner CV "
                         "(best pooled inner ROC AUC, then the threshold maximising inner MCC).")
        else:
            what = "Hyperparameters and threshold" if mid == "device-rf" else "Threshold"
            selection = (f"{what} chosen inside each training fold by 3-fold grouped inner CV "
                         "(best pooled inner ROC AUC, then the threshold maximising inner MCC).")
        protocol = (HEART_PROTOCOL if ds.name == "heart" else DEVICE_PROTOCOL).format(selection=selection)
        evaluation = {"protocol": protocol, "metrics": e["metrics"]}
        evaluation.update(chart_tables(e["pooled_y"], e["pooled_p"], fitted.threshold))
        txt = texts(mid, fitted.candidate.description, model_inputs(fitted.model, feats))
        entries.append({
            "id": mid,
            "domain": ds.name,
            "title": txt["title"],
            "family": fitted.candidate.description,
            "version": MODEL_VERSION,
            "default": is_default,
            "file": fname,
            "bytes": len(blob),
            "sha256": sha256_bytes(blob),
            "input_name": INPUT_NAME,
            "output_names": {"label": LABEL_NAME, "probabilities": PROBA_NAME},
            "features": feature_stats(ds, feats),
            "class_labels": labels,
            "threshold": float(fitted.threshold),
            "evaluation": evaluation,
            "training_data": {"file": ds.file, "rows": ds.rows, "positives": ds.positives, "sha256": ds.sha256},
            "library_versions": library_versions(),
            "intended_use": txt["intended_use"],
            "limitations": txt["limitations"],
        })
    manifest = {"schema_version": 1, "models": entries}
    write_text(os.path.join(models_dir, "manifest.json"), json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")

    # ---- metric cases for the app's metric code
    hb_y, hb_p, hb_t = ev_heart["heart-baseline"]["split0"]
    hs_y, hs_p, hs_t = ev_heart["heart-rf-seed"]["split0"]
    pos = np.flatnonzero(yd == 1)
    neg = np.flatnonzero(yd == 0)
    rng = np.random.RandomState(M.SEED)
    sample = np.sort(np.r_[pos, rng.choice(neg, size=METRICS_SAMPLE_ROWS - len(pos), replace=False)])
    cases = [
        metric_case("heart-baseline held-out predictions, split 0", hb_y, hb_p, hb_t),
        metric_case("heart-rf-seed held-out predictions, split 0 (many tied scores)", hs_y, hs_p, hs_t),
        metric_case("device-rf pooled out-of-fold predictions, all failures + fixed-seed sample of the rest",
                    yd[sample], ev_device["device-rf"]["pooled_p"][sample], finals["device-rf"].threshold),
        metric_case("hand case with tied scores and a score equal to the threshold",
                    [0, 1, 0, 1, 1, 0, 0, 1, 0, 0], [0.1, 0.4, 0.4, 0.8, 0.5, 0.5, 0.2, 0.9, 0.9, 0.0], 0.5),
        metric_case("hand case where nothing reaches the threshold",
                    [0, 1, 0, 1, 0], [0.1, 0.3, 0.2, 0.3, 0.05], 0.9),
    ]
    write_metric_cases(os.path.join(golden_dir, "metrics.json"), cases)
    timings["export, golden files, manifest"] = time.time() - t

    write_text(os.path.join(out_dir, "training", "results.md"), results_markdown(entries, ev_heart, ev_device, finals, sizes))
    total = sum(sizes.values())
    log(t0, "model sizes: " + ", ".join(f"{k} {v / 1024:.0f} KiB" for k, v in sizes.items()) + f"; total {total / 1024:.0f} KiB")
    for k, v in timings.items():
        log(t0, f"time: {k}: {v:.1f}s")
    if total >= 6 * 1024 * 1024:
        raise SystemExit(f"error: the model files total {total} bytes, over the 6 MB budget")


def model_inputs(model, feats: list) -> list:
    """Names of the inputs the fitted model actually reads (a SelectColumns first step narrows them)."""
    steps = getattr(model, "steps", [])
    if steps and isinstance(steps[0][1], SelectColumns):
        return [feats[i] for i in steps[0][1].columns]
    return list(feats)


def _fmt(m: dict) -> str:
    return f"{m['mean']:.3f} ± {m['sd']:.3f}" if m["sd"] is not None else f"{m['mean']:.3f}"


def results_markdown(entries, ev_heart, ev_device, finals, sizes) -> str:
    cols = ["roc_auc", "pr_auc", "mcc", "f1", "accuracy", "precision", "sensitivity", "specificity", "flag_rate"]
    lines = [
        "# Results (generated by training/train.py; do not edit)",
        "",
        "Mean ± sd. Heart: over 100 stratified 80/20 splits. Device: pooled out-of-fold value ± sd over the 5 grouped folds.",
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
    for mid, ev in list(ev_heart.items()) + list(ev_device.items()):
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
