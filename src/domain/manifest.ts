import { evidenceSchema, outOfFoldSchema, tripodTextsSchema } from './evidence-schema';
import { metricNames } from './model-list';
import { z } from './zod';

/**
 * The contract between training/ (which writes public/models/manifest.json) and the app.
 * Everything the app knows about a model (feature order, labels, threshold, quality
 * figures, checksum) comes from here, never from code.
 */

const num = z.number().finite();

export const featureStatsSchema = z.object({
  name: z.string(),
  unit: z.string(),
  min: num,
  p1: num,
  median: num,
  p99: num,
  max: num,
});

/** mean and sd over repetitions (heart) or folds (device); sd null when not defined. */
export const metricSchema = z.object({ mean: num, sd: num.nullable() });

/**
 * What every view needs of a model's evaluation: the protocol, the figures and the confusion
 * matrix. The curves and the threshold table (most of manifest.json's bytes) are in
 * `cardCurvesSchema`, read only by the views that draw them (see `ModelCard`).
 */
export const evaluationSchema = z.object({
  /** Plain words: "100 x stratified 80/20 split" or "5-fold CV grouped by device, pooled out-of-fold". */
  protocol: z.string(),
  metrics: z.partialRecord(z.enum(metricNames), metricSchema),
  /** Confusion matrix at the model's threshold, from the pooled out-of-fold predictions. */
  confusion: z.object({ tn: z.number().int(), fp: z.number().int(), fn: z.number().int(), tp: z.number().int() }),
});

export const cardCurvesSchema = z.object({
  /** ROC curve points from the pooled out-of-fold predictions, at most 200. */
  roc: z.array(z.object({ fpr: num, tpr: num })).max(200),
  /** PR curve points, at most 200. */
  pr: z.array(z.object({ recall: num, precision: num })).max(200),
  /** 10 equal-width bins of predicted P(positive). */
  calibration: z.array(z.object({ bin_lo: num, bin_hi: num, count: z.number().int(), mean_predicted: num.nullable(), observed: num.nullable() })),
  /** threshold -> precision, recall, flag rate (share of rows flagged positive). */
  threshold_table: z.array(z.object({ threshold: num, precision: num, recall: num, flag_rate: num })),
  /** Issue 22's card figures, one out-of-fold probability per case (absent: older manifests). */
  out_of_fold: outOfFoldSchema.optional(),
  /** The declaration's card texts for the TRIPOD+AI items. */
  tripod: tripodTextsSchema.optional(),
});

/**
 * Failures caught in each day's top K and the lead time (training/prognos_train/fleet.py and
 * src/domain/fleet-report.ts count the same way). `caught_within_<N>_days` keys may be added.
 */
export const topKFiguresSchema = z.looseObject({
  failures: z.number().int().nonnegative(),
  caught_on_day: z.number().int().nonnegative(),
  lead_days_median: num.nullable(),
});

/**
 * What training measured for a history model ranking a fleet day by day: out of fold (the
 * model card's figures), the single-reading default on the same rows, and the shipped model
 * on its own training log (in-sample: a figure the app must reproduce on that log, not an
 * estimate of performance). Optional: older entries and single-reading models have none.
 */
export const fleetFiguresSchema = z.looseObject({
  k: z.number().int().positive(),
  rules: z.record(z.string(), z.string()).optional(),
  out_of_fold: topKFiguresSchema,
  single_reading_out_of_fold: topKFiguresSchema.extend({ model: z.string() }).optional(),
  shipped_on_training_log: topKFiguresSchema.optional(),
  /** The inspection policy simulated out of fold (training/prognos_train/policy.py, src/domain/fleet-policy.ts). */
  policy: z
    .object({
      cover_days: z.number().int().positive(),
      rise_factor: num,
      default_hold_days: z.number().int().positive(),
      rules: z.record(z.string(), z.string()),
      probabilities: z.string(),
      rows: z.array(
        z.object({
          k: z.number().int().positive(),
          hold_days: z.number().int().nonnegative(),
          failures: z.number().int().nonnegative(),
          caught: z.number().int().nonnegative(),
          inspections: z.number().int().nonnegative(),
          caught_per_100_inspections: num,
        }),
      ),
    })
    .optional(),
});

export const modelEntrySchema = z.object({
  id: z.string(),
  /** A declared domain's id (domains/<id>.json). */
  domain: z.string().min(1),
  title: z.string(),
  /** What the features are: one row's fields (absent: older entries) or a log's history features. */
  input: z.enum(['fields', 'history']).optional(),
  /** Daily top-K figures of a history model (see fleetFiguresSchema). */
  fleet: fleetFiguresSchema.optional(),
  /** Short description of the estimator, e.g. "RandomForestClassifier, 100 trees". */
  family: z.string(),
  version: z.string(),
  /** The domain's default model in the app. */
  default: z.boolean(),
  /** File name relative to the manifest's folder. */
  file: z.string(),
  bytes: z.number().int().positive(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  input_name: z.string(),
  output_names: z.object({ label: z.string(), probabilities: z.string() }),
  features: z.array(featureStatsSchema).min(1),
  /** class_labels[i] is the label of class index i; index 1 is the positive (flagged) class. */
  class_labels: z.tuple([z.string(), z.string()]),
  /** A row is flagged positive when P(class 1) >= threshold. */
  threshold: num,
  evaluation: evaluationSchema,
  training_data: z.object({ file: z.string(), rows: z.number().int(), positives: z.number().int(), sha256: z.string() }),
  library_versions: z.record(z.string(), z.string()),
  intended_use: z.string(),
  limitations: z.array(z.string()),
  /** What happened to similar cases and the interval of a risk, shown beside every result (absent: none declared). */
  evidence: evidenceSchema.optional(),
});

export const manifestSchema = z.object({
  schema_version: z.literal(1),
  models: z.array(modelEntrySchema).min(1),
});

/** A model with its whole card: manifest.json as training writes it. */
export const modelCardSchema = modelEntrySchema.extend({ evaluation: evaluationSchema.extend(cardCurvesSchema.shape) });
export const cardManifestSchema = z.object({ schema_version: z.literal(1), models: z.array(modelCardSchema).min(1) });

/**
 * The keys of `evaluation` that only the card views read. The build derives
 * models/manifest.core.json from manifest.json without them (training's bytes untouched),
 * and the worker starts from that file.
 */
export const cardOnlyKeys = Object.keys(cardCurvesSchema.shape) as (keyof z.infer<typeof cardCurvesSchema>)[];

/** manifest.json minus the card-only keys, every other byte of meaning kept (for manifest.core.json). */
export function coreManifestJson(full: { models: { evaluation: Record<string, unknown> }[] }): unknown {
  return {
    ...full,
    models: full.models.map((m) => ({
      ...m,
      evaluation: Object.fromEntries(Object.entries(m.evaluation).filter(([k]) => !(cardOnlyKeys as string[]).includes(k))),
    })),
  };
}

/**
 * The bytes of models/manifest.core.json, from the full manifest's text: the core, as the schema
 * reads it (checked, defaults filled in). The build writes it and pins its sha256, so a worker
 * that finds the pinned bytes trusts their JSON as is, without the schema (src/build/pins.ts).
 */
export function coreManifestText(fullText: string): string {
  return JSON.stringify(parseManifest(coreManifestJson(JSON.parse(fullText))));
}

export type FeatureStats = z.infer<typeof featureStatsSchema>;
export type FleetFigures = z.infer<typeof fleetFiguresSchema>;
export type TopKFigures = z.infer<typeof topKFiguresSchema>;

/** A model card's whole evaluation, curves included. */
export type Evaluation = z.infer<typeof modelCardSchema>['evaluation'];
/** What the engine and the forms need of a model (manifest.core.json). */
export type ModelEntry = z.infer<typeof modelEntrySchema>;
export type Manifest = z.infer<typeof manifestSchema>;
export type ModelCard = z.infer<typeof modelCardSchema>;
export type CardManifest = z.infer<typeof cardManifestSchema>;
export type DomainId = ModelEntry['domain'];

/** Parse untrusted manifest JSON (core or full; card-only keys are dropped); the error names the first bad path. */
export function parseManifest(json: unknown): Manifest {
  return parseWith(manifestSchema, json, 'manifest.json');
}

/** Parse the full manifest.json, curves and threshold table included. */
export function parseCardManifest(json: unknown): CardManifest {
  return parseWith(cardManifestSchema, json, 'manifest.json');
}

function parseWith<T>(schema: z.ZodType<T>, json: unknown, name: string): T {
  const r = schema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`${name} is not valid: ${issue?.path.join('.') ?? '(root)'}: ${issue?.message ?? 'unknown'}`);
  }
  return r.data;
}
