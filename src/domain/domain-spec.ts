import type { SeedResponseValue } from './declaration';
import type { FieldSpec } from './field-spec';
import type { HistorySpec } from './history';
import type { InspectionSpec } from './inspections';
import type { Values } from './to-vector';

/*
 * A domain as the app uses it, after its declaration (domains/<id>.json) has been validated by
 * declaration.ts. Plain data: the build validates every declaration once and bundles the
 * result (src/build/domain-specs.ts), so the page never runs the declaration schema.
 */

export interface Preset {
  id: string;
  label: string;
  values: Values;
}

export interface RiskBand {
  from: number;
  label: string;
  note?: string;
  fhirCode?: 'negligible' | 'low' | 'moderate' | 'high' | 'certain';
}

export interface Outcome {
  positive: string;
  riskBands: readonly RiskBand[];
  modelsDiffer?: string;
  horizon?: { lowDays: number; highDays: number; text: string };
}

export interface SeedService {
  /** What the replaced service was called, in words ("heart"). */
  name: string;
  modelId: string;
  requestWrapper: string | null;
  sampleRequest: Values;
  response: readonly { key: string; value: SeedResponseValue }[];
}

/** Everything the views, the importer and the seed-JSON panel know about a domain, as data. */
export interface DomainSpec {
  id: string;
  order: number;
  title: string;
  /** What one row describes: "patient", "device". */
  subject: string;
  nav: { predict: string; batch: string };
  /** The form's introduction; `**bold**` and `code` spans are rendered. */
  formIntro: string;
  fields: readonly FieldSpec[];
  labelColumn: string;
  classLabels: readonly [string, string];
  /** Columns that are ignored when present in a file (duplicates of another column). */
  ignoredColumns: readonly string[];
  /** The declared examples (the replaced service's sample request lives in `seed`). */
  presets: readonly Preset[];
  /** Sample label of the replaced service's request, for the integration view. */
  seedSampleLabel: string | null;
  outcome: Outcome | null;
  /** Inputs each listed model actually reads; a model not listed reads all its features. */
  modelReads: Readonly<Record<string, readonly string[]>>;
  seed: SeedService | null;
  modelIds: readonly string[];
  /** The daily log's history features, when the domain declares them (the Fleet view). */
  history: HistorySpec | null;
  /** Models that read history features rather than one row's fields. */
  historyModelIds: readonly string[];
  /** Inspections of the fleet and the hold-back rule, when declared (needs `history`). */
  inspections: InspectionSpec | null;
}

/** The band a probability falls in, or null when the domain declares none. */
export function riskBand(outcome: Outcome | null, p: number): RiskBand | null {
  if (!outcome) return null;
  let band: RiskBand | null = null;
  for (const b of outcome.riskBands) if (p >= b.from) band = b;
  return band;
}

/** The inputs a model reads: declared in its entry's `reads`, else every input its graph takes. */
export function inputsRead(domain: Pick<DomainSpec, 'modelReads'>, modelId: string, features: readonly string[]): readonly string[] {
  return domain.modelReads[modelId] ?? features;
}
