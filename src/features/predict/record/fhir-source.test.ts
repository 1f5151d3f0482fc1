import { describe, expect, it } from 'vitest';
import { getDomain } from '@/domain/domains';
import { readFromServer, serverError } from './fhir-source';
import { hasFhirMapping, isSmartReturn, SMART_SCOPES } from './record-entry';

const S = 'https://fhir.example.org/fhir';

describe('reading from a FHIR server: each failure is one sentence', () => {
  it('names a server that refuses, has no such patient, errs, times out or cannot be reached', () => {
    expect(serverError(S, { status: 401 })).toBe(`The FHIR server ${S} refused access (401).`);
    expect(serverError(S, { status: 403 })).toBe(`The FHIR server ${S} refused access (403).`);
    expect(serverError(S, { status: 404 })).toBe(`The FHIR server ${S} has no such patient (404).`);
    expect(serverError(S, { status: 500 })).toBe(`The FHIR server ${S} answered with an error (500).`);
    expect(serverError(S, new DOMException('signal timed out', 'TimeoutError'))).toBe(`The FHIR server ${S} did not answer within 20 seconds.`);
    expect(serverError(S, new TypeError('Failed to fetch'))).toMatch(
      /could not be reached \(blocked, offline, or not allowed by this site's connect-src\)\.$/,
    );
  });

  it('refuses an address that is not a URL, or no patient id, before any request', async () => {
    const heart = getDomain('heart');
    expect(await readFromServer(heart, 'fhir.example.org', 'p1')).toEqual({ ok: false, error: expect.stringMatching(/is not a web address/) });
    expect(await readFromServer(heart, S, '  ')).toEqual({ ok: false, error: 'Give the patient id on that server.' });
  });

  it('asks for read-only patient scopes only', () => {
    expect(SMART_SCOPES.every((s) => /^patient\/\w+\.read$/.test(s))).toBe(true);
  });

  it('knows a SMART return and which domains declare a record mapping', () => {
    expect(isSmartReturn('?code=abc&state=xyz')).toBe(true);
    expect(isSmartReturn('?error=access_denied&state=xyz')).toBe(true);
    expect(isSmartReturn('?code=abc')).toBe(false);
    expect(hasFhirMapping(getDomain('heart'))).toBe(true);
    expect(hasFhirMapping(getDomain('device'))).toBe(false);
  });
});
