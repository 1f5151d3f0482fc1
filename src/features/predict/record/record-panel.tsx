import { useState } from 'react';
import type { DomainSpec } from '@/domain/domain-spec';
import { fhirSource, type RecordResult } from './record-entry';

interface Props {
  domain: DomainSpec;
  /** A record was read: the form is filled from it. A refusal changes nothing in the form. */
  onRead: (r: Extract<RecordResult, { ok: true }>) => void;
  /** A refusal, as one sentence (also from a SMART launch that came back). */
  error: string | null;
  onError: (e: string | null) => void;
}

/** Fill the form from a health record: a FHIR Bundle (file, drop or paste), an open server, or a SMART launch. */
export function RecordPanel({ domain, onRead, error, onError }: Props) {
  const [pasted, setPasted] = useState('');
  const [server, setServer] = useState('');
  const [patientId, setPatientId] = useState('');
  const { busy, readFile, readPasted, fromServer, smart } = useRecordReaders(domain, onRead, onError);
  const id = (s: string) => `${domain.id}-record-${s}`;

  return (
    <details className="settings record-panel">
      <summary>Fill from a health record (FHIR R4)</summary>
      <p className="muted small">
        The values are read in this browser from the record you name, and nothing is sent anywhere else. You see them in the form before anything is
        predicted; every value stays editable.
      </p>
      <div
        className="field"
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          void readFile(e.dataTransfer.files[0]);
        }}
      >
        <label htmlFor={id('file')}>A FHIR Bundle file (JSON; or drop it here)</label>
        <input
          id={id('file')}
          type="file"
          accept=".json,application/json,application/fhir+json"
          onChange={(e) => {
            void readFile(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
      </div>
      <div className="field">
        <label htmlFor={id('paste')}>Or paste a FHIR Bundle</label>
        <textarea id={id('paste')} rows={3} value={pasted} onChange={(e) => setPasted(e.target.value)} />
        <button type="button" className="secondary" disabled={!pasted.trim()} onClick={() => void readPasted(pasted)}>
          Read the pasted Bundle
        </button>
      </div>
      <div className="field">
        <label htmlFor={id('server')}>FHIR server base URL</label>
        <input id={id('server')} type="url" autoComplete="off" value={server} onChange={(e) => setServer(e.target.value)} />
        <label htmlFor={id('patient')}>Patient id (an open server)</label>
        <input id={id('patient')} type="text" autoComplete="off" value={patientId} onChange={(e) => setPatientId(e.target.value)} />
        <div className="actions">
          <button type="button" className="secondary" disabled={busy || !server.trim()} onClick={() => void fromServer(server, patientId)}>
            Read from the server
          </button>
          <button type="button" className="secondary" disabled={!server.trim()} onClick={() => smart(server)}>
            Sign in to the record (SMART)
          </button>
        </div>
      </div>
      {error && (
        <p className="field-error" role="alert" data-testid="record-error">
          {error}
        </p>
      )}
    </details>
  );
}

/** The ways of reading a record, each handing over a record or a refusal; `busy` while a server is asked. */
function useRecordReaders(domain: DomainSpec, onRead: Props['onRead'], onError: Props['onError']) {
  const [busy, setBusy] = useState(false);

  function take(r: RecordResult) {
    if (r.ok) {
      onError(null);
      onRead(r);
    } else onError(r.error);
  }
  async function readFile(file: File | undefined) {
    if (!file) return;
    const [{ readBundleFile }, text] = await Promise.all([fhirSource(), file.text()]);
    take(readBundleFile(domain, text, file.name));
  }
  async function readPasted(pasted: string) {
    const { readBundleFile } = await fhirSource();
    take(readBundleFile(domain, pasted, 'pasted Bundle'));
  }
  async function fromServer(server: string, patientId: string) {
    setBusy(true);
    try {
      const { readFromServer } = await fhirSource();
      take(await readFromServer(domain, server, patientId));
    } finally {
      setBusy(false);
    }
  }
  function smart(server: string) {
    let iss: URL;
    try {
      iss = new URL(server);
    } catch {
      onError(`"${server}" is not a web address: give the record's FHIR server base URL.`);
      return;
    }
    window.location.assign(`./launch.html?iss=${encodeURIComponent(iss.href.replace(/\/$/, ''))}`);
  }

  return { busy, readFile, readPasted, fromServer, smart };
}
