import type { DomainSpec } from '@/domain/domain-spec';
import type { RecordReading } from '@/domain/fhir/read';

/*
 * What the form needs of the health-record readers before any record is read. The readers
 * themselves (fhir-source.ts: fhirclient, the Bundle checks) load when a record is asked for,
 * not with the form.
 */

export type RecordResult = { ok: true; reading: RecordReading; from: string } | { ok: false; error: string };

/** The readers, loaded on first use. */
export const fhirSource = () => import('./fhir-source');

export function hasFhirMapping(domain: DomainSpec): boolean {
  return domain.fields.some((f) => f.fhir !== undefined);
}

/** The narrowest read-only scopes the app needs: the patient in context and read access to three resource types. */
export const SMART_SCOPES = ['patient/Patient.read', 'patient/Observation.read', 'patient/Condition.read'];

/** SMART return: the authorisation server sent the browser back with ?code&state (or ?error&state). */
export function isSmartReturn(search = window.location.search): boolean {
  const q = new URLSearchParams(search);
  return q.has('state') && (q.has('code') || q.has('error'));
}
