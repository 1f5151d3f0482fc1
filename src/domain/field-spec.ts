import type { NumberFormat } from './number-format';

/*
 * A field as the form shows it, apart from its schema (fields.ts), so that drawing the form
 * loads no schema code; the schema loads with the first value checked.
 */

/**
 * A field spec is the single description of one model input: the form renders it, the
 * CSV importer and the seed-compatible JSON panel validate with the schema built from it.
 */
export type FieldKind = 'number' | 'integer' | 'yes-no' | 'sex';

export interface FieldSpec {
  /** Exactly the name the replaced service used; also the CSV column name. */
  name: string;
  label: string;
  unit: string;
  help: string;
  kind: FieldKind;
  /** Hard limits: values outside are impossible, not merely unusual. */
  min: number;
  max: number;
  /** Other accepted column names in CSV files (case-insensitive), e.g. attribute1. */
  aliases?: readonly string[];
  /** The form may leave it blank; only the models that read it then say what they need. */
  optionalInForm?: boolean;
  /** A short note shown beside the field in the form. */
  formNote?: string;
  /** Other units in clinical use; the model always receives `unit`. */
  units?: readonly import('./units').UnitSpec[];
  /** How the field is read from a FHIR R4 record, when declared. */
  fhir?: import('./fhir/mapping').FhirMapping;
}

export const yesNoOptions = [
  { value: 0, label: 'No' },
  { value: 1, label: 'Yes' },
] as const;

export const sexOptions = [
  { value: 0, label: 'Woman' },
  { value: 1, label: 'Man' },
] as const;

export function optionsOf(spec: FieldSpec): readonly { value: number; label: string }[] | null {
  if (spec.kind === 'yes-no') return yesNoOptions;
  if (spec.kind === 'sex') return sexOptions;
  return null;
}

/**
 * One formatter per number format, made on first use: `toLocaleString` with options makes a new
 * formatter at every call (the form writes two limits a field at each render: 0.7 ms of a warm
 * submit's 4 ms in Chromium), and none is made while the app's code is evaluated.
 */
const limitFormats = new Map<NumberFormat, Intl.NumberFormat>();

/** A limit as the person's number format writes it (1,234.5 or 1.234,5). */
export function formatLimit(spec: FieldSpec, v: number, format: NumberFormat = 'point'): string {
  let f = limitFormats.get(format);
  if (!f) limitFormats.set(format, (f = new Intl.NumberFormat(format === 'comma' ? 'de-DE' : 'en-US', { maximumFractionDigits: 6 })));
  const n = f.format(v);
  return spec.unit && spec.kind !== 'yes-no' && spec.kind !== 'sex' ? `${n} ${spec.unit}` : n;
}
