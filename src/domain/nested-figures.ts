import { withRates } from './threshold-choices';
import { z } from './zod';

/**
 * The nested figures: public/models/thresholds.json (written by training/prognos_train/nested.py): per model, the
 * nested figures (each test part judged at the threshold chosen without it), the optimistic
 * pooled ones, the spread of the parts' thresholds and, for uncalibrated models, thresholds
 * by rank. Plus what a chosen threshold gives on the pooled out-of-fold table of the manifest.
 */

const num = z.number().finite();
const int = z.number().int().nonnegative();
const figuresSchema = z.object({ tp: int, fp: int, fn: int, tn: int, precision: num, recall: num, flag_rate: num, mcc: num });
const spreadSchema = z.object({ min: num, max: num, median: num, sd: num });
const partsSchema = z.object({ precision: spreadSchema, recall: spreadSchema, flag_rate: spreadSchema, mcc: spreadSchema });

export const nestedFiguresSchema = z.object({
  id: z.string(),
  version: z.string(),
  protocol: z.string(),
  threshold: num,
  notes: z.array(z.string()),
  parts: z.number().int().positive(),
  nested: figuresSchema,
  nested_parts: partsSchema,
  pooled: figuresSchema,
  fold_thresholds: z.array(num).min(1),
  threshold_spread: spreadSchema.extend({ range_share: num }),
  unstable: z.boolean(),
  mean_probability: num,
  positive_rate: num,
  calibrated: z.boolean(),
  rank: z.array(figuresSchema.extend({ rate: num, parts: partsSchema })).optional(),
});

export const nestedFiguresFileSchema = z.object({
  schema_version: z.literal(1),
  unstable_range_share: num,
  calibration_factor: num,
  models: z.array(nestedFiguresSchema),
});

export type Figures = z.infer<typeof figuresSchema>;
export type NestedFigures = z.infer<typeof nestedFiguresSchema>;
export type NestedFiguresFile = z.infer<typeof nestedFiguresFileSchema>;

export function parseNestedFigures(json: unknown): NestedFiguresFile {
  const r = nestedFiguresFileSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`thresholds.json is not valid: ${issue?.path.join('.') ?? '(root)'}: ${issue?.message ?? 'unknown'}`);
  }
  return r.data;
}

/** Confusion counts and rates from labels, probabilities and a threshold per row (p >= t flags). */
export function figuresOf(y: ArrayLike<number>, p: ArrayLike<number>, thresholdOf: (i: number) => number): Figures {
  let tp = 0,
    fp = 0,
    fn = 0,
    tn = 0;
  for (let i = 0; i < y.length; i++) {
    const flagged = p[i]! >= thresholdOf(i);
    if (y[i] === 1) {
      if (flagged) tp++;
      else fn++;
    } else if (flagged) fp++;
    else tn++;
  }
  return withRates({ tp, fp, fn, tn });
}
