import type { FeatureStats } from './manifest';
import type { Values } from './to-vector';

/**
 * What-if curves: for each input a model reads, the rows that sweep it across its training
 * range (p1 to p99) with every other input held at the user's values. All rows of all
 * curves go to the model in one call; `splitWhatIf` cuts the answer back into curves.
 */
export interface WhatIfPlan {
  rows: Values[];
  curves: { name: string; xs: number[]; value: number }[];
}

export function planWhatIf(
  features: readonly FeatureStats[],
  values: Values,
  opts: { points?: number; integers?: ReadonlySet<string> } = {},
): WhatIfPlan {
  const points = Math.max(2, opts.points ?? 40);
  const rows: Values[] = [];
  const curves: WhatIfPlan['curves'] = [];
  for (const f of features) {
    const value = values[f.name];
    if (value === undefined) continue;
    let xs: number[];
    if (f.p99 <= f.p1) {
      xs = [f.p1];
    } else {
      xs = Array.from({ length: points }, (_, i) => f.p1 + ((f.p99 - f.p1) * i) / (points - 1));
      // A 0/1 or counted input sweeps through whole numbers only (no 0.37 of a diabetes).
      if (opts.integers?.has(f.name)) xs = [...new Set(xs.map(Math.round))];
    }
    curves.push({ name: f.name, xs, value });
    for (const x of xs) rows.push({ ...values, [f.name]: x });
  }
  return { rows, curves };
}

/** The probabilities of a plan's rows (in order), as one series per input. */
export function splitWhatIf(plan: WhatIfPlan, p1: ArrayLike<number>): { name: string; value: number; points: { x: number; p: number }[] }[] {
  if (p1.length !== plan.rows.length) throw new Error(`Expected ${plan.rows.length} probabilities, got ${p1.length}`);
  let k = 0;
  return plan.curves.map((c) => ({ name: c.name, value: c.value, points: c.xs.map((x) => ({ x, p: p1[k++]! })) }));
}

/**
 * A threshold by rank: the lowest threshold of the (pooled, held-out) threshold table that
 * flags at most `rate` of the rows, e.g. "flag the top 1 %". Null when even the highest
 * threshold flags more.
 */
export function thresholdForFlagRate(
  table: readonly { threshold: number; flag_rate: number; precision: number; recall: number }[],
  rate: number,
): { threshold: number; flag_rate: number; precision: number; recall: number } | null {
  let best: (typeof table)[number] | null = null;
  for (const row of table) if (row.flag_rate <= rate && (best === null || row.threshold < best.threshold)) best = row;
  return best;
}
