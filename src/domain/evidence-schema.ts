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
