"""The pipeline: evaluate every declared model, fit the shipped ones, export and write the outputs.

Everything domain-specific comes from the declarations (domains/<id>.json): fields, data
columns, the evaluation protocol, each model's features, recipe and texts. This module only
puts the pieces together: protocols.py evaluates, models.py builds and fits, cards.py writes
the texts, writers.py the files.
"""
from __future__ import annotations

import hashlib
import os
import time

import numpy as np

from . import models as M
from . import nested as N
from . import protocols as P
from .cards import inputs_read, protocol, texts
from .evaluation import chart_tables
from . import fleet as FLEET
from . import policy as POLICY
from . import card_evidence as CE
from .golden_history import write_all_probabilities, write_history_features, write_random_log
from .onnx_export import INPUT_NAME, LABEL_NAME, PROBA_NAME, export, to_bytes
from .writers import (
    HAND_CASES,
    declared_case,
    feature_stats,
    golden_rows,
    library_versions,
    metric_case,
    results_markdown,
    write_golden,
    write_manifest,
    write_metric_cases,
    write_model_table,
    write_text,
)

MODEL_VERSION = "1.0.0"
MAX_TOTAL_BYTES = 6 * 1024 * 1024  # the app's download budget for all model files
log = P.log


def f32(X: np.ndarray) -> np.ndarray:
    """The values the ONNX model receives (float32), as float64."""
    return np.asarray(X, dtype=np.float32).astype(np.float64)


def data_for(ds, model):
    """The rows a model trains on: the file's readings, or (input "history") their history features."""
    return ds.history if model.input == "history" else ds


def plans_for(domain, ds_all) -> list:
    """One plan per declared model: its columns in the data, its candidates and its inner CV."""
    out = []
    for m in domain.models:
        ds = data_for(ds_all, m)
        cv = P.inner_cv(domain.evaluation, ds.groups is not None)
        cands = M.build_candidates(m.recipe, m.features, f"{domain.path}: {m.key}.recipe")
        if m.seed and len(cands) != 1:
            raise M.DomainError(f"{domain.path}: {m.key}.recipe: a seed model needs a single-candidate recipe, "
                                f"{m.recipe['name']!r} has {len(cands)}")
        out.append(P.Plan(m, [ds.features.index(f) for f in m.features], cands, cv))
    return out


def run(domains: list, datasets: dict, out_dir: str, jobs: int, t0: float):
    """domains: the declarations in order; datasets: domain id -> loaded Dataset."""
    models_dir = os.path.join(out_dir, "public", "models")
    golden_dir = os.path.join(out_dir, "training", "golden")
    plans = {d.id: plans_for(d, datasets[d.id]) for d in domains}  # recipe errors before any long work

    timings, evaluations, oof = {}, {}, {}
    for d in domains:
        for source in ("fields", "history"):
            ps = [pl for m, pl in zip(d.models, plans[d.id]) if m.input == source]
            if not ps:
                continue
            t = time.time()
            evaluations.update(N.evaluate(data_for(datasets[d.id], ps[0].model), d, ps, jobs, t0, oof))
            timings[f"{d.id} evaluation ({d.evaluation.kind}, nested{', history' if source == 'history' else ''})"] = \
                time.time() - t
            log(t0, f"{d.id} evaluation done" + (" (history models)" if source == "history" else ""))

    # ---- shipped models, on all rows
    t = time.time()
    finals = {}
    for d in domains:
        for m, plan in zip(d.models, plans[d.id]):
            ds = data_for(datasets[d.id], m)
            finals[plan.id] = plan.fit(P.take_columns(ds.X, plan.cols), ds.y, ds.groups, threads=jobs)
    timings["final fits (selection by inner CV on all rows)"] = time.time() - t
    log(t0, "final models fitted: " + ", ".join(f"{k}={v.candidate.name} t={v.threshold}" for k, v in finals.items()))

    # ---- export, golden, manifest
    t = time.time()
    os.makedirs(models_dir, exist_ok=True)
    os.makedirs(golden_dir, exist_ok=True)
    entries, sizes, cases = [], {}, []
    for d in domains:
        rows = {}
        for m, plan in zip(d.models, plans[d.id]):
            ds = data_for(datasets[d.id], m)
            if m.input not in rows:
                rows[m.input] = golden_rows(ds, d.golden_rows)
            entry, size = export_model(d, m, plan, ds, rows[m.input], finals[m.id], evaluations[m.id], models_dir,
                                       golden_dir)
            if d.evidence is not None:
                add_evidence(entry, d, ds, evaluations[m.id], oof[m.id][2])
            if m.input == "history":
                entry["fleet"] = fleet_figures(d, datasets[d.id], m, evaluations, finals[m.id], plan)
                write_history_golden(golden_dir, d, datasets[d.id], m, finals[m.id], plan)
            entries.append(entry)
            sizes[m.id] = size
        for c in d.evaluation.metric_cases:
            cases.append(declared_case(c, evaluations[c["model"]], finals[c["model"]].threshold))
    write_manifest(os.path.join(models_dir, "manifest.json"), entries)
    N.write(out_dir, domains, oof, finals, MODEL_VERSION)
    cases += [metric_case(*c) for c in HAND_CASES]
    write_metric_cases(os.path.join(golden_dir, "metrics.json"), cases)
    timings["export, golden files, manifest"] = time.time() - t

    summaries = [P.summary(d) for d in domains]
    write_text(os.path.join(out_dir, "training", "results.md"),
               results_markdown(summaries, entries, evaluations, finals, sizes))
    for e in entries:
        if "fleet" in e:
            log(t0, f"{e['id']} fleet figures: {e['fleet']['out_of_fold']}")
    log(t0, "model table written to " + write_model_table(out_dir, entries))
    total = sum(sizes.values())
    log(t0, "model sizes: " + ", ".join(f"{k} {v / 1024:.0f} KiB" for k, v in sizes.items()) + f"; total {total / 1024:.0f} KiB")
    for k, v in timings.items():
        log(t0, f"time: {k}: {v:.1f}s")
    if total >= MAX_TOTAL_BYTES:
        raise SystemExit(f"error: the model files total {total} bytes, over the 6 MB budget")


def add_evidence(entry: dict, domain, ds, ev: dict, part) -> None:
    """Issue 22's figures (card_evidence.py): the result's lookup on the entry, the card's in its evaluation."""
    evidence, out_of_fold, tripod = CE.model_evidence(domain, ds, ev, part)
    entry["evaluation"]["out_of_fold"] = out_of_fold
    entry["evaluation"]["tripod"] = tripod
    if evidence is not None:
        entry["evidence"] = evidence


def fleet_figures(domain, ds_all, model, evaluations: dict, fitted, plan) -> dict:
    """The Fleet view's figures for a history model: failures caught in the daily top K and lead time,
    from the pooled out-of-fold predictions; the same for the domain's default single-reading model
    on the same rows; and the shipped model on the whole training log (in-sample, a parity check)."""
    h = ds_all.history

    def oof(model_id: str) -> np.ndarray:
        # Rounded as in training/golden/oof-<id>.json, so that the TypeScript test that ranks
        # those rows (src/domain/fleet-oof.test.ts) recomputes these figures exactly.
        return np.round(np.asarray(evaluations[model_id]["pooled_p"], dtype=float), N.DECIMALS)

    out = {"k": FLEET.K, "rules": dict(FLEET.RULES),
           "out_of_fold": FLEET.topk_figures(h.days, h.entities, h.y, oof(model.id))}
    if domain.inspections is not None:
        out["policy"] = POLICY.policy_table(h.days, h.entities, h.y, oof(model.id), domain.inspections)
    single = next((m for m in domain.models if m.default and m.input == "fields"), None)
    if single is not None:
        p = oof(single.id)[h.file_rows]
        out["single_reading_out_of_fold"] = {"model": single.id, **FLEET.topk_figures(h.days, h.entities, h.y, p)}
    p = shipped_probabilities(fitted, plan, h).astype(np.float32).astype(np.float64)
    out["shipped_on_training_log"] = {
        "note": "in-sample (the shipped model on the rows it was trained on), ranked on float32 probabilities as "
                "the app receives them: not an estimate of performance, a figure the app must reproduce on this log",
        **FLEET.topk_figures(h.days, h.entities, h.y, p),
    }
    return out


def shipped_probabilities(fitted, plan, ds) -> np.ndarray:
    """scikit-learn's P(class 1) of the shipped model on every row, from the float32 inputs the app gives it."""
    M.set_threads(fitted.model, 1)
    return fitted.model.predict_proba(f32(P.take_columns(ds.X, plan.cols)))[:, 1]


def write_history_golden(golden_dir: str, domain, ds_all, model, fitted, plan):
    """<id>-features.json (raw log rows and expected history features), <id>-random-log.json
    (a seeded random log and its features) and <id>-all.txt.gz
    (the shipped model's probability for every row of the data file)."""
    h = ds_all.history
    columns = write_history_features(os.path.join(golden_dir, f"{model.id}-features.json"), domain, ds_all)[2]
    write_random_log(os.path.join(golden_dir, f"{model.id}-random-log.json"), domain, columns, domain.label_column)
    p = shipped_probabilities(fitted, plan, h)
    write_all_probabilities(os.path.join(golden_dir, f"{model.id}-all.txt.gz"), model.id, ds_all, h.file_rows, p)


def export_model(domain, model, plan, ds, rows, fitted, ev, models_dir: str, golden_dir: str) -> tuple:
    """Write the model's ONNX file and golden predictions; return (manifest entry, file size)."""
    feats = list(model.features)
    blob = to_bytes(export(fitted.model, len(feats), model.id))
    fname = f"{model.id}.onnx"
    with open(os.path.join(models_dir, fname), "wb") as f:
        f.write(blob)

    inputs = f32(ds.X[np.ix_(rows, plan.cols)])
    M.set_threads(fitted.model, 1)
    file_rows = rows if ds.file_rows is None else ds.file_rows[rows]
    write_golden(os.path.join(golden_dir, f"{model.id}.json"), model.id, feats, file_rows, inputs,
                 fitted.model.predict(inputs), fitted.model.predict_proba(inputs))

    evaluation = {"protocol": protocol(domain, model), "metrics": ev["metrics"]}
    evaluation.update(chart_tables(ev["pooled_y"], ev["pooled_p"], fitted.threshold))
    family = fitted.candidate.description
    txt = texts(domain, model, family, inputs_read(fitted.model, feats))
    entry = {
        "id": model.id,
        "domain": domain.id,
        "title": txt["title"],
        "family": family,
        "version": MODEL_VERSION,
        "default": model.default,
        "file": fname,
        "bytes": len(blob),
        "sha256": hashlib.sha256(blob).hexdigest(),
        "input_name": INPUT_NAME,
        "output_names": {"label": LABEL_NAME, "probabilities": PROBA_NAME},
        "features": feature_stats(ds, feats),
        "class_labels": list(domain.class_labels),
        "threshold": float(fitted.threshold),
        "evaluation": evaluation,
        "training_data": {"file": ds.file, "rows": ds.rows, "positives": ds.positives, "sha256": ds.sha256},
        "library_versions": library_versions(),
        "intended_use": txt["intended_use"],
        "limitations": txt["limitations"],
    }
    return entry, len(blob)
