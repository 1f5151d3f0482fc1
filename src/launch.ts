import FHIR from 'fhirclient';
import { SMART_SCOPES } from '@/features/predict/record/record-entry';

/**
 * launch.html: the SMART App Launch entry. An EHR opens it with ?iss=<FHIR server>&launch=<id>
 * (EHR launch); the app's own "Open from a SMART record" opens it with ?iss only (standalone
 * launch). fhirclient discovers the server's authorisation endpoints, and redirects there with
 * PKCE (S256, required); the record sends the browser back to index.html with a code.
 */
const q = new URLSearchParams(window.location.search);
const launch = q.get('launch');
const status = document.getElementById('status')!;
// The client id the record registered this site under; a host sets it at build time.
const clientId = import.meta.env.VITE_SMART_CLIENT_ID ?? 'prognos';

FHIR.oauth2
  .authorize({
    clientId,
    scope: [launch ? 'launch' : 'launch/patient', ...SMART_SCOPES].join(' '),
    redirectUri: './index.html',
    pkceMode: 'required',
    ...(q.get('iss') ? { iss: q.get('iss')! } : {}),
    ...(launch ? { launch } : {}),
  })
  .catch((e: unknown) => {
    status.textContent = `The SMART launch could not start: ${(e as Error).message}`;
  });
