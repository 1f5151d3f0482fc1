"""The inspection policy, simulated on out-of-fold probabilities: what holding an inspected device
back buys a team that inspects K devices a day.

Rules (src/domain/fleet-policy.ts applies the same, to the same rounded probabilities):
- Days in order. On day d the candidates are the devices reporting on d that are not held back.
- The team inspects the K candidates with the highest P(failure); equal risks in the order of
  the log's rows.
- An inspection on day d finds a fault when the device fails on a day f with d <= f <= d +
  cover_days: those failures count as caught. Otherwise nothing is found, and the device is held
  back on days d+1 .. d+hold_days, unless its P(failure) on such a day is at least rise_factor
  times its P(failure) on the inspection day (it comes back early).
- hold_days 0 is today's list: nothing is held back.
cover_days and rise_factor are declared in the domain (`inspections`), fixed in advance; no fold
chooses them.
"""
from __future__ import annotations

import numpy as np

DECIMALS = 6  # the probabilities of training/golden/oof-<id>.json, so TypeScript recomputes exactly

RULES = {
    "candidates": "each day, the devices reporting that day that are not held back",
    "choice": "the K candidates with the highest P(failure); equal risks in the order of the log's rows",
    "caught": "an inspection on day d catches the device's failures on days d .. d + cover_days",
    "hold_back": "an inspection that catches nothing holds the device back on days d+1 .. d+hold_days, "
                 "unless its P(failure) reaches rise_factor times its P(failure) on the inspection day",
}


def simulate(days, entities, y, p, k: int, hold_days: int, cover_days: int, rise_factor: float) -> dict:
    """Failures caught and inspections spent by the policy over a whole log (see RULES)."""
    days = np.asarray(days, dtype=np.int64)
    p = np.asarray(p, dtype=np.float64)
    y = np.asarray(y)
    ent_ids, ent = np.unique(np.asarray(entities), return_inverse=True)
    fail_days: dict[int, list[int]] = {}
    for i in np.flatnonzero(y == 1):
        fail_days.setdefault(int(ent[i]), []).append(int(days[i]))
    order = np.lexsort((np.arange(len(p)), -p, days))  # by day, then P descending, then row
    bounds = np.flatnonzero(np.r_[True, days[order][1:] != days[order][:-1], True])
    held_until = np.full(len(ent_ids), np.iinfo(np.int64).min, dtype=np.int64)
    held_p = np.zeros(len(ent_ids))
    caught: set[tuple[int, int]] = set()
    inspections = 0
    for a, b in zip(bounds[:-1], bounds[1:]):
        d = int(days[order[a]])
        chosen = 0
        for i in order[a:b]:
            if chosen == k:
                break
            e = int(ent[i])
            if held_until[e] >= d and p[i] < rise_factor * held_p[e]:
                continue
            chosen += 1
            found = [f for f in fail_days.get(e, ()) if d <= f <= d + cover_days]
            caught.update((e, f) for f in found)
            if not found and hold_days > 0:
                held_until[e] = d + hold_days
                held_p[e] = p[i]
        inspections += chosen
    failures = sum(len(v) for v in fail_days.values())
    return {
        "failures": failures,
        "caught": len(caught),
        "inspections": inspections,
        "caught_per_100_inspections": round(100 * len(caught) / inspections, 2) if inspections else 0.0,
    }


def policy_table(days, entities, y, p, spec) -> dict:
    """The manifest's `fleet.policy`: every K against no hold-back and each hold-back length."""
    p = np.round(np.asarray(p, dtype=np.float64), DECIMALS)
    rows = []
    for k in spec.evaluate_k:
        for h in (0, *spec.evaluate_hold_days):
            rows.append({"k": k, "hold_days": h,
                         **simulate(days, entities, y, p, k, h, spec.cover_days, spec.rise_factor)})
    return {
        "cover_days": spec.cover_days,
        "rise_factor": spec.rise_factor,
        "default_hold_days": spec.hold_days,
        "rules": dict(RULES),
        "probabilities": f"pooled out-of-fold P(failure) of each reading, rounded to {DECIMALS} decimals "
                         "(training/golden/oof-<id>.json)",
        "rows": rows,
    }
