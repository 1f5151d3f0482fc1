import { z } from '../zod';

/**
 * How a field is read from a FHIR R4 record: declared beside the field (`fhir` in
 * domains/<id>.json), with the source of every code list. Only the code that applies these
 * rules is code (src/domain/fhir/read.ts).
 */

const conditionCodes = z.object({
  /** The FHIR code system URI: http://snomed.info/sct, http://hl7.org/fhir/sid/icd-10, ... */
  system: z.string().min(1),
  /** `exact`: the code itself; `prefix`: an ICD-10 category and every code under it (E11 matches E11.9). */
  match: z.enum(['exact', 'prefix']),
  codes: z.array(z.string().min(1)).min(1),
  /** Where the list came from, in words. */
  source: z.string().min(1),
});

const observationMapping = z.object({
  from: z.literal('observation'),
  loinc: z.array(z.object({ code: z.string().regex(/^\d+-\d$/), display: z.string().min(1) })).min(1),
  /** UCUM code (Quantity.code) -> the field's own unit or one of its declared `units`. */
  units: z.record(z.string(), z.string()).optional(),
  units_note: z.string().optional(),
  /** A coded answer (valueCodeableConcept) -> the field's value; null: the record does not say. */
  answers: z
    .array(z.object({ system: z.string().min(1), code: z.string().min(1), display: z.string().min(1), value: z.number().nullable() }))
    .optional(),
  /** A value older than this, at the day of reading, is flagged. */
  max_age_days: z.number().int().positive().optional(),
  source: z.string().min(1),
});

export const fhirMappingSchema = z.discriminatedUnion('from', [
  observationMapping,
  z.object({ from: z.literal('condition'), codes: z.array(conditionCodes).min(1) }),
  z.object({ from: z.literal('birth-date'), note: z.string().min(1) }),
  z.object({ from: z.literal('gender'), map: z.record(z.string(), z.number()), note: z.string().min(1) }),
]);

export type FhirMapping = z.infer<typeof fhirMappingSchema>;
export type ObservationMapping = z.infer<typeof observationMapping>;
export type ConditionCodes = z.infer<typeof conditionCodes>;

export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
