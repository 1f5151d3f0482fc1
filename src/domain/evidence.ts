import { z } from './zod';

/**
 * Issue 22's figures, written by training/prognos_train/card_evidence.py (formulas:
 * evidence.py), all out of fold. `evidence` on a model entry is what a result shows beside
 * the risk (what happened to similar patients, the interval of the risk); the card's figures
 * (`evaluation.out_of_fold`) and texts (`evaluation.tripod`) are card-only.
 */

const num = z.number().finite();
const int = z.number().int().nonnegative();
const numOrNull = num.nullable();

export const similarRowSchema = z.object({
  risk: num,
  n: int,
  events: int,
  low: num,
  high: num,
  min_risk: numOrNull,
  max_risk: numOrNull,
});

export const evidenceSchema = z.object({
  /** One case, in words: "patient". */
  unit: z.string(),
  /** Several cases and what happened to them: "patients", "died". */
  units: z.string(),
  event: z.string(),
  /** How one out-of-fold probability per case was made. */
  per_row: z.string(),
  similar: z.object({
    band: num,
    step: num,
    small_n: int,
    interval: z.string(),
    rows: z.array(similarRowSchema).min(2),
  }),
  /** The interval of a risk: the similar cases' Wilson interval, with its method in one sentence. */
  interval: z.object({ method: z.string(), sentence: z.string() }).optional(),
});

const validityGroupSchema = z.object({
  n: int,
  events: int,
  observed: num,
  mean_low: num,
  mean_high: num,
  inside: z.boolean(),
  wilson_overlaps: z.boolean(),
});

export const subgroupSchema = z.object({
  subgroup: z.string(),
  label: z.string(),
  n: int,
  events: int,
  observed: numOrNull,
  mean_predicted: numOrNull,
  roc_auc: numOrNull,
  roc_auc_low: numOrNull,
  roc_auc_high: numOrNull,
  entities: int.optional(),
});

export const outOfFoldSchema = z.object({
  unit: z.string(),
  per_row: z.string(),
  rows: int,
  events: int,
  entities: int.optional(),
  discrimination: z.object({
    roc_auc: num,
    low: num,
    high: num,
    interval: z.string(),
    parts: int,
    parts_p2_5: num,
    parts_p97_5: num,
  }),
  calibration_fit: z.object({
    intercept: num,
    intercept_low: num,
    intercept_high: num,
    slope: num,
    slope_low: num,
    slope_high: num,
  }),
  calibration_groups: z.array(z.object({ n: int, events: int, mean_predicted: num, observed: num, low: num, high: num })),
  decision_curve: z.array(z.object({ threshold: num, net_benefit: num, treat_all: num, flagged: int })),
  subgroups: z.array(subgroupSchema),
  interval_validity: z
    .object({
      groups: z.array(validityGroupSchema).min(1),
      inside: int,
      overlapping: int,
      overall: validityGroupSchema.omit({ wilson_overlaps: true }),
      mean_width: num,
      folds: int,
      fold: z.string(),
      /** Over several shuffles of the cross-validation: groups with the observed share inside, of all. */
      repeats: z.object({ splits: int, groups: int, inside: int }),
    })
    .optional(),
});

export const tripodTextsSchema = z.object({
  intended_users: z.string().optional(),
  eligibility: z.string().optional(),
  outcome: z.string().optional(),
  sample_size: z.string().optional(),
  missing_inputs: z.string().optional(),
  class_imbalance: z.string().optional(),
  not_applicable: z.array(z.object({ item: z.string(), why: z.string() })).default([]),
});

export type Evidence = z.infer<typeof evidenceSchema>;
export type SimilarRow = z.infer<typeof similarRowSchema>;
export type OutOfFold = z.infer<typeof outOfFoldSchema>;
export type TripodTexts = z.infer<typeof tripodTextsSchema>;

/** The grid row nearest to a risk (the lookup is declared on a grid, e.g. every 0.01). */
export function nearestRow<T extends { risk: number }>(rows: readonly T[], step: number, p: number): T {
  const i = Math.min(rows.length - 1, Math.max(0, Math.round(p / step)));
  return rows[i]!;
}

/** Wilson score interval for k events in n (0..1 when n = 0); z for 95 %. */
export function wilson(k: number, n: number, z95 = 1.959963984540054): [number, number] {
  if (n === 0) return [0, 1];
  const ph = k / n;
  const den = 1 + (z95 * z95) / n;
  const centre = (ph + (z95 * z95) / (2 * n)) / den;
  const half = (z95 * Math.sqrt((ph * (1 - ph)) / n + (z95 * z95) / (4 * n * n))) / den;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export interface SimilarCases {
  n: number;
  events: number;
  /** events / n, null when n = 0. */
  share: number | null;
  low: number;
  high: number;
  minRisk: number | null;
  maxRisk: number | null;
  small: boolean;
  /** Filled icons of 100: the share rounded to whole people. */
  per100: number | null;
}

/** What happened to the study's cases whose out-of-fold risk was close to `p`. */
export function similarCases(e: Evidence, p: number): SimilarCases {
  const r = nearestRow(e.similar.rows, e.similar.step, p);
  const share = r.n ? r.events / r.n : null;
  return {
    n: r.n,
    events: r.events,
    share,
    low: r.low,
    high: r.high,
    minRisk: r.min_risk,
    maxRisk: r.max_risk,
    small: r.n < e.similar.small_n,
    per100: share === null ? null : Math.round(share * 100),
  };
}

const pc = (p: number) => `${Math.round(p * 1000) / 10}`;

/** The sentence beside a result, and a second one when the number of cases is small. */
export function similarSentences(e: Evidence, p: number): { sentence: string; caution: string | null } {
  const s = similarCases(e, p);
  const band = `${Math.round(e.similar.band * 100)} points`;
  if (s.n === 0) {
    return {
      sentence: `None of the ${e.units} in the study had an out-of-fold risk within ${band} of this one, so there is nothing to compare it with.`,
      caution: `This risk lies outside what the study's ${e.units} received: treat it with care.`,
    };
  }
  const sentence =
    `Of the ${s.n} ${e.units} in the study whose out-of-fold risk was close to this one (within ${band}), ` +
    `${s.events} ${e.event} (${pc(s.share!)} %, 95 % interval ${pc(s.low)}–${pc(s.high)} %).`;
  const caution = s.small ? `Only ${s.n} ${e.units}: too few for a firm figure; read the interval, not the percentage.` : null;
  return { sentence, caution };
}

/** The interval of a risk (the similar cases' Wilson interval, nearest grid row); null when training declared none. */
export function riskInterval(e: Evidence, p: number): { low: number; high: number; sentence: string } | null {
  if (!e.interval) return null;
  const r = nearestRow(e.similar.rows, e.similar.step, p);
  return { low: r.low, high: r.high, sentence: e.interval.sentence };
}

/** The columns a result file gets for a model with evidence, and their cells for one risk (empty when not scored). */
export const evidenceColumns = ['similar_n', 'similar_events', 'interval_95_low', 'interval_95_high'] as const;

export function evidenceCells(e: Evidence, p: number): string[] {
  if (Number.isNaN(p)) return ['', '', '', ''];
  const r = nearestRow(e.similar.rows, e.similar.step, p);
  return [String(r.n), String(r.events), String(r.low), String(r.high)];
}

/** The similar patients and the risk's interval as sentences (the FHIR RiskAssessment's notes). */
export function evidenceWords(e: Evidence, p: number): string[] {
  const { sentence, caution } = similarSentences(e, p);
  const interval = riskInterval(e, p);
  return [
    sentence,
    ...(caution ? [caution] : []),
    ...(interval ? [`Interval on this risk: ${pc(interval.low)}–${pc(interval.high)} %. ${interval.sentence}`] : []),
  ];
}
