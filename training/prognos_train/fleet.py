"""Fleet figures: failures caught in each day's top K, and the lead time.

Rules (the Fleet view counts the same way):
- rank: a reading's rank on its day = the number of readings of that day (itself included)
  whose P(failure) is >= its own, so ties count against it; it is in the day's top K when
  its rank is <= K.
- caught on the day / within N days: the failing device is in the top K on the failure
  day f / on at least one of the days f-N .. f.
- lead time of a failure caught within LEAD_WINDOW days: f - the first day in
  f-LEAD_WINDOW .. f with the device in the top K; the median over those failures.
"""
from __future__ import annotations

import numpy as np

K = 10
WINDOWS = (0, 3, 7)
LEAD_WINDOW = 30

RULES = {
    "rank": "a reading is in its day's top K when at most K readings of that day (itself included) have "
            "P(failure) >= its own (ties count against it)",
    "caught": "on the failure day f, or on at least one of the days f-N .. f, the failing device is in the day's top K",
    "lead_time": f"f minus the first day in f-{LEAD_WINDOW} .. f with the device in the top K; median over the "
                 f"failures caught within {LEAD_WINDOW} days",
}


def daily_rank(days, p) -> np.ndarray:
    """Conservative rank of each reading among the readings of its day (see RULES)."""
    days = np.asarray(days, dtype=np.int64)
    p = np.asarray(p, dtype=np.float64)
    n = len(p)
    o = np.lexsort((-p, days))  # by day, then p descending
    d_s, p_s = days[o], p[o]
    day_start = np.flatnonzero(np.r_[True, d_s[1:] != d_s[:-1]])
    start_of = day_start[np.searchsorted(day_start, np.arange(n), side="right") - 1]
    run_last = np.flatnonzero(np.r_[(d_s[1:] != d_s[:-1]) | (p_s[1:] != p_s[:-1]), True])
    last_of = run_last[np.searchsorted(run_last, np.arange(n), side="left")]
    rank = np.empty(n, dtype=np.int64)
    rank[o] = last_of - start_of + 1
    return rank


def topk_figures(days, entities, y, p, k: int = K) -> dict:
    days = np.asarray(days, dtype=np.int64)
    entities = np.asarray(entities)
    top = daily_rank(days, p) <= k
    by_entity = {}
    for i, e in enumerate(entities):
        by_entity.setdefault(e, []).append(i)
    caught = {w: 0 for w in WINDOWS}
    leads = []
    fails = np.flatnonzero(np.asarray(y) == 1)
    for i in fails:
        rows = np.asarray(by_entity[entities[i]])
        d, t = days[rows], top[rows]
        f = days[i]
        for w in WINDOWS:
            caught[w] += int(np.any(t & (d >= f - w) & (d <= f)))
        hit = d[t & (d >= f - LEAD_WINDOW) & (d <= f)]
        if len(hit):
            leads.append(int(f - hit.min()))
    return {
        "failures": int(len(fails)),
        "caught_on_day": caught[0],
        "caught_within_3_days": caught[3],
        "caught_within_7_days": caught[7],
        f"caught_within_{LEAD_WINDOW}_days": len(leads),
        "lead_days_median": float(np.median(leads)) if leads else None,
    }
