import FHIR from 'fhirclient';
import type Client from 'fhirclient/lib/Client';
import type { DomainSpec } from '@/domain/domain-spec';
import { readBundleText, readResources, type BundleResult } from '@/domain/fhir/bundle';
import { LOINC } from '@/domain/fhir/mapping';
import { readRecord } from '@/domain/fhir/read';
import type { RecordResult } from './record-entry';

/**
 * The three ways a record comes in: a Bundle file (or pasted text), an open FHIR server and a
 * patient id, or a SMART App Launch (EHR or standalone, PKCE) through fhirclient, the SMART
 * project's own library. The network ones talk only to the server the user or the record named.
 */

/** Today as YYYY-MM-DD (the day a value's age is counted to). */
const today = () => new Date().toISOString().slice(0, 10);

function finish(domain: DomainSpec, r: BundleResult, from: string): RecordResult {
  return r.ok ? { ok: true, reading: readRecord(domain.fields, r.contents, today()), from } : r;
}

export function readBundleFile(domain: DomainSpec, text: string, name: string): RecordResult {
  return finish(domain, readBundleText(text), name);
}

// A server that does not answer in this time is given up on, with a sentence.
const TIMEOUT_MS = 20_000;

/** The patient, their Observations of the declared LOINC codes and their Conditions, read through a fhirclient Client. */
async function fetchRecord(domain: DomainSpec, client: Client, patientId: string): Promise<RecordResult> {
  const server = client.state.serverUrl;
  const loinc = domain.fields.flatMap((f) => (f.fhir?.from === 'observation' ? f.fhir.loinc.map((l) => `${LOINC}|${l.code}`) : []));
  const id = encodeURIComponent(patientId);
  const opts = { pageLimit: 0, flat: true } as const;
  const signal = AbortSignal.timeout(TIMEOUT_MS);
  try {
    const patient: unknown = await client.request({ url: `Patient/${id}`, signal });
    const obs: unknown[] = await client.request({ url: `Observation?patient=Patient/${id}&code=${loinc.join(',')}&_count=200`, signal }, opts);
    const conds: unknown[] = domain.fields.some((f) => f.fhir?.from === 'condition')
      ? await client.request({ url: `Condition?patient=Patient/${id}&_count=200`, signal }, opts)
      : [];
    return finish(domain, readResources([patient, ...obs, ...conds]), `${server} (Patient/${patientId})`);
  } catch (e) {
    return { ok: false, error: serverError(server, e) };
  }
}

export function serverError(server: string, e: unknown): string {
  const err = e as { name?: string; status?: number; message?: string };
  if (err.name === 'TimeoutError' || err.name === 'AbortError')
    return `The FHIR server ${server} did not answer within ${TIMEOUT_MS / 1000} seconds.`;
  if (err.status === 401 || err.status === 403) return `The FHIR server ${server} refused access (${err.status}).`;
  if (err.status === 404) return `The FHIR server ${server} has no such patient (404).`;
  if (err.status) return `The FHIR server ${server} answered with an error (${err.status}).`;
  return `The FHIR server ${server} could not be reached (blocked, offline, or not allowed by this site's connect-src).`;
}

/** An open FHIR server (no authorisation) and a patient id. */
export async function readFromServer(domain: DomainSpec, serverUrl: string, patientId: string): Promise<RecordResult> {
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    return { ok: false, error: `"${serverUrl}" is not a web address: give the FHIR server's base URL, e.g. https://fhir.example.org/fhir.` };
  }
  if (!patientId.trim()) return { ok: false, error: 'Give the patient id on that server.' };
  return fetchRecord(domain, FHIR.client(url.href.replace(/\/$/, '')), patientId.trim());
}

/** Complete a SMART launch (fhirclient exchanges the code with the PKCE verifier) and read the patient in context. */
export async function completeSmartLaunch(domain: DomainSpec): Promise<RecordResult> {
  const q = new URLSearchParams(window.location.search);
  if (q.has('error')) {
    history.replaceState(null, '', window.location.pathname + window.location.hash);
    return { ok: false, error: `The record refused the launch: ${q.get('error_description') ?? q.get('error')}.` };
  }
  let client: Client;
  try {
    client = await FHIR.oauth2.ready();
  } catch (e) {
    return { ok: false, error: `The SMART launch could not be completed: ${(e as Error).message}` };
  }
  const patientId = client.patient.id;
  if (!patientId) return { ok: false, error: 'The record did not name a patient in context for this launch.' };
  return fetchRecord(domain, client, patientId);
}
