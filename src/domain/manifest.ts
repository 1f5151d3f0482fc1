import { z } from '@/domain/zod';

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

export const metricNames = [
  'roc_auc',
  'pr_auc',
  'mcc',
  'f1',
  'accuracy',
  'precision',
  'sensitivity',
  'specificity',
  'flag_rate',
] as const;
export type MetricName = (typeof metricNames)[number];

export const evaluationSchema = z.object({
  /** Plain words: "100 x stratified 80/20 split" or "5-fold CV grouped by device, pooled out-of-fold". */
  protocol: z.string(),
  metrics: z.partialRecord(z.enum(metricNames), metricSchema),
  /** ROC curve points from the pooled out-of-fold predictions, at most 200. */
  roc: z.array(z.object({ fpr: num, tpr: num })).max(200),
  /** PR curve points, at most 200. */
  pr: z.array(z.object({ recall: num, precision: num })).max(200),
  /** 10 equal-width bins of predicted P(positive). */
  calibration: z.array(
    z.object({ bin_lo: num, bin_hi: num, count: z.number().int(), mean_predicted: num.nullable(), observed: num.nullable() }),
  ),
  /** Confusion matrix at the model's threshold, from the pooled out-of-fold predictions. */
  confusion: z.object({ tn: z.number().int(), fp: z.number().int(), fn: z.number().int(), tp: z.number().int() }),
  /** threshold -> precision, recall, flag rate (share of rows flagged positive). */
  threshold_table: z.array(z.object({ threshold: num, precision: num, recall: num, flag_rate: num })),
});

export const modelEntrySchema = z.object({
  id: z.string(),
  /** A declared domain's id (domains/<id>.json). */
  domain: z.string().min(1),
  title: z.string(),
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
});

export const manifestSchema = z.object({
  schema_version: z.literal(1),
  models: z.array(modelEntrySchema).min(1),
});

export type FeatureStats = z.infer<typeof featureStatsSchema>;
export type Evaluation = z.infer<typeof evaluationSchema>;
export type ModelEntry = z.infer<typeof modelEntrySchema>;
export type Manifest = z.infer<typeof manifestSchema>;
export type DomainId = ModelEntry['domain'];

/** Parse untrusted manifest JSON; the error names the first bad path. */
export function parseManifest(json: unknown): Manifest {
  const r = manifestSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`manifest.json is not valid: ${issue?.path.join('.') ?? '(root)'}: ${issue?.message ?? 'unknown'}`);
  }
  return r.data;
}

export function modelsOf(manifest: Manifest, domain: DomainId): ModelEntry[] {
  return manifest.models.filter((m) => m.domain === domain);
}

export function defaultModel(manifest: Manifest, domain: DomainId): ModelEntry {
  const ms = modelsOf(manifest, domain);
  const d = ms.find((m) => m.default) ?? ms[0];
  if (!d) throw new Error(`manifest.json has no model for ${domain}`);
  return d;
}

/** The decision rule used everywhere in the app. */
export function isPositive(p1: number, threshold: number): boolean {
  return p1 >= threshold;
}
