import { z } from '../zod';

/**
 * A FHIR R4 Bundle (collection, searchset, transaction, batch, document, or a Patient
 * $everything result, which is a searchset) read down to what the mapping uses: the one
 * patient, their Observations and Conditions. Anything else in the bundle is ignored.
 * Every refusal is one sentence; nothing is guessed.
 */

const coding = z.looseObject({ system: z.string().optional(), code: z.string().optional(), display: z.string().optional() });
const concept = z.looseObject({ coding: z.array(coding).optional(), text: z.string().optional() });
const reference = z.looseObject({ reference: z.string().optional(), display: z.string().optional() });

export const patientSchema = z.looseObject({
  resourceType: z.literal('Patient'),
  id: z.string().optional(),
  birthDate: z
    .string()
    .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/)
    .optional(),
  gender: z.enum(['male', 'female', 'other', 'unknown']).optional(),
});

export const observationSchema = z.looseObject({
  resourceType: z.literal('Observation'),
  id: z.string().optional(),
  status: z.string(),
  code: concept,
  subject: reference.optional(),
  effectiveDateTime: z.string().optional(),
  effectiveInstant: z.string().optional(),
  effectivePeriod: z.looseObject({ start: z.string().optional(), end: z.string().optional() }).optional(),
  issued: z.string().optional(),
  valueQuantity: z
    .looseObject({ value: z.number().optional(), unit: z.string().optional(), system: z.string().optional(), code: z.string().optional() })
    .optional(),
  valueCodeableConcept: concept.optional(),
});

export const conditionSchema = z.looseObject({
  resourceType: z.literal('Condition'),
  id: z.string().optional(),
  code: concept.optional(),
  subject: reference,
  clinicalStatus: concept.optional(),
  verificationStatus: concept.optional(),
  onsetDateTime: z.string().optional(),
  recordedDate: z.string().optional(),
});

export type FhirPatient = z.infer<typeof patientSchema>;
export type FhirObservation = z.infer<typeof observationSchema>;
export type FhirCondition = z.infer<typeof conditionSchema>;
export type FhirCoding = z.infer<typeof coding>;

/** A resource and the name it goes by in the record: `Observation/cr-1` (or its fullUrl when it has no id). */
export interface Sourced<T> {
  resource: T;
  source: string;
}

export interface RecordContents {
  patient: Sourced<FhirPatient> | null;
  observations: Sourced<FhirObservation>[];
  conditions: Sourced<FhirCondition>[];
  /** Resources of a kind the mapping reads that were not well-formed, by source: skipped, and said. */
  skipped: string[];
}

export type BundleResult = { ok: true; contents: RecordContents } | { ok: false; error: string };

const BUNDLE_TYPES = ['collection', 'searchset', 'transaction', 'batch', 'document'];

const bundleSchema = z.looseObject({
  resourceType: z.literal('Bundle'),
  type: z.string(),
  entry: z.array(z.looseObject({ fullUrl: z.string().optional(), resource: z.unknown().optional() })).optional(),
});

/** Read a Bundle from text (a file dropped or pasted). */
export function readBundleText(text: string): BundleResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'This is not FHIR JSON: it cannot be read as JSON at all.' };
  }
  return readBundle(json);
}

/** Read a parsed Bundle. */
export function readBundle(json: unknown): BundleResult {
  const kind = (json as { resourceType?: unknown } | null)?.resourceType;
  if (typeof json !== 'object' || json === null || typeof kind !== 'string')
    return { ok: false, error: 'This is not FHIR JSON: it has no resourceType, so it is not a FHIR resource.' };
  const b = bundleSchema.safeParse(json);
  if (!b.success) return { ok: false, error: `This is a FHIR ${kind}, not a Bundle: give a Bundle that holds the patient and their results.` };
  if (!BUNDLE_TYPES.includes(b.data.type))
    return { ok: false, error: `This Bundle is of type "${b.data.type}"; a ${BUNDLE_TYPES.join(', ')} Bundle can be read.` };
  return collect(
    (b.data.entry ?? []).map((e) => ({ fullUrl: e.fullUrl, resource: e.resource })),
    (e) => e,
  );
}

interface Entry {
  fullUrl?: string | undefined;
  resource: unknown;
}

function sourceOf(e: Entry): string {
  const r = e.resource as { resourceType?: string; id?: string };
  if (r.id) return `${r.resourceType}/${r.id}`;
  return e.fullUrl ?? `${r.resourceType} without an id`;
}

function collect<T>(entries: T[], entryOf: (t: T) => Entry): BundleResult {
  const patients: { p: Sourced<FhirPatient>; fullUrl: string | undefined }[] = [];
  const contents: RecordContents = { patient: null, observations: [], conditions: [], skipped: [] };
  for (const t of entries) {
    const e = entryOf(t);
    const type = (e.resource as { resourceType?: unknown } | null | undefined)?.resourceType;
    const source = type ? sourceOf(e) : '';
    if (type === 'Patient') {
      const r = patientSchema.safeParse(e.resource);
      if (!r.success) return { ok: false, error: `The record's ${source} is not a well-formed FHIR Patient (${issueText(r.error)}).` };
      patients.push({ p: { resource: r.data, source }, fullUrl: e.fullUrl });
    } else if (type === 'Observation') {
      const r = observationSchema.safeParse(e.resource);
      if (r.success) contents.observations.push({ resource: r.data, source });
      else contents.skipped.push(source);
    } else if (type === 'Condition') {
      const r = conditionSchema.safeParse(e.resource);
      if (r.success) contents.conditions.push({ resource: r.data, source });
      else contents.skipped.push(source);
    }
  }
  const distinct = new Map(patients.map((x) => [x.p.resource.id ?? x.fullUrl ?? x.p.source, x]));
  if (distinct.size > 1)
    return {
      ok: false,
      error: `This Bundle holds ${distinct.size} patients (${[...distinct.values()].map((x) => x.p.source).join(', ')}); give one patient's record.`,
    };
  const only = [...distinct.values()][0];
  contents.patient = only?.p ?? null;
  const names = only ? patientNames(only.p.resource.id, only.fullUrl) : null;
  const subjects = new Set<string>();
  for (const x of [...contents.observations, ...contents.conditions]) {
    const ref = x.resource.subject?.reference;
    if (!ref) continue;
    if (names && !names.some((n) => ref === n || ref.endsWith(`/${n}`))) {
      return { ok: false, error: `${x.source} is about ${ref}, not the Bundle's patient ${only!.p.source}; give one patient's record.` };
    }
    subjects.add(ref);
  }
  if (!names && subjects.size > 1)
    return { ok: false, error: `This Bundle holds results of ${subjects.size} patients (${[...subjects].join(', ')}); give one patient's record.` };
  return { ok: true, contents };
}

function patientNames(id: string | undefined, fullUrl: string | undefined): string[] {
  return [...(id ? [`Patient/${id}`] : []), ...(fullUrl ? [fullUrl] : [])];
}

function issueText(e: z.ZodError): string {
  const i = e.issues[0];
  return i ? `${i.path.join('.') || 'the resource'}: ${i.message}` : 'unknown';
}

/** The resources a server returned (Patient, then searchsets of Observations and Conditions), read as one record. */
export function readResources(resources: readonly unknown[]): BundleResult {
  return collect(
    resources.map((resource) => ({ resource })),
    (e) => e,
  );
}
