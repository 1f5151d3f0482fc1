import { holdState, type HoldRule, type Inspection, type InspectionSpec } from './inspections';

/**
 * The inspection policy simulated over a labelled log: each day the team inspects the K
 * highest-risk devices that are not held back (equal risks in the order of the log's rows); an
 * inspection on day d catches the device's failures on days d .. d + coverDays; one that catches
 * nothing holds the device back by the rule of inspections.ts (holdState). Training's
 * prognos_train/policy.py is the same simulation; the manifest's `fleet.policy` table is its
 * output on the out-of-fold probabilities, and fleet-policy.test.ts recomputes it here.
 */

/** A labelled log, one entry per reading, in the log's row order. */
export interface PolicyLog {
  day: ArrayLike<number>;
  /** An integer id per device. */
  entity: ArrayLike<number>;
  /** 1 on a failure reading. */
  label: ArrayLike<number>;
  p: ArrayLike<number>;
}

export interface PolicyResult {
  k: number;
  holdDays: number;
  failures: number;
  caught: number;
  inspections: number;
  caughtPer100: number;
}

/**
 * Row indices by day ascending, then P descending, then row: the order a day ranking's `byDay`
 * holds for a float32 P (day-ranking.ts), which a ranked log passes to simulatePolicy instead
 * (a comparator sort of 1,000,000 readings holds the thread for about 0.3 s).
 */
export function dayOrder(log: PolicyLog): Int32Array {
  const n = log.p.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const { day, p } = log;
  order.sort((a, b) => day[a]! - day[b]! || p[b]! - p[a]! || a - b);
  return order;
}

export function simulatePolicy(log: PolicyLog, spec: InspectionSpec, k: number, rule: HoldRule, order = dayOrder(log)): PolicyResult {
  const { day, entity, label, p } = log;
  const failDays = new Map<number, number[]>();
  for (let i = 0; i < label.length; i++) {
    if (label[i] !== 1) continue;
    const e = entity[i]!;
    const list = failDays.get(e);
    if (list) list.push(day[i]!);
    else failDays.set(e, [day[i]!]);
  }
  const holdsBack = spec.outcomes.find((o) => o.holdsBack)?.id;
  const last = new Map<number, { inspection: Inspection; p: number }>();
  const caught = new Set<string>();
  let inspections = 0;
  for (let a = 0; a < order.length;) {
    const d = day[order[a]!]!;
    let b = a;
    while (b < order.length && day[order[b]!] === d) b++;
    let chosen = 0;
    for (let j = a; j < b && chosen < k; j++) {
      const i = order[j]!;
      const e = entity[i]!;
      const prev = last.get(e);
      // The inspection day itself is never revisited here: a device is chosen once a day.
      if (prev && prev.inspection.day < d && holdState(spec, rule, prev.inspection, d, prev.p, p[i]!)?.held) continue;
      chosen++;
      let found = false;
      for (const f of failDays.get(e) ?? []) {
        if (f >= d && f <= d + spec.coverDays) {
          caught.add(`${e}:${f}`);
          found = true;
        }
      }
      if (!found && holdsBack) last.set(e, { inspection: { entity: String(e), day: d, outcome: holdsBack, note: '' }, p: p[i]! });
    }
    inspections += chosen;
    a = b;
  }
  let failures = 0;
  for (const v of failDays.values()) failures += v.length;
  return {
    k,
    holdDays: rule.holdDays,
    failures,
    caught: caught.size,
    inspections,
    caughtPer100: inspections ? Math.round((10000 * caught.size) / inspections) / 100 : 0,
  };
}

/** Every K of the declaration against no hold-back and each declared hold-back length. */
export function policyTable(log: PolicyLog, spec: InspectionSpec): PolicyResult[] {
  const order = dayOrder(log);
  const out: PolicyResult[] = [];
  for (const k of spec.evaluate.k) {
    for (const holdDays of [0, ...spec.evaluate.holdDays]) out.push(simulatePolicy(log, spec, k, { holdDays, riseFactor: spec.riseFactor }, order));
  }
  return out;
}
