import { useState } from 'react';
import { riskPct } from '@/components/ui/format';
import { saveBlob } from '@/components/ui/save-file';
import { SaveOptIn } from '@/components/ui/save-opt-in';
import { UnreadableRecords } from '@/components/ui/unreadable-records';
import { getDomain, isDomainId } from '@/domain/domains';
import { filterByReference, savedPredictionsCsv, type SavedPrediction } from '@/domain/saved-prediction';
import { clearRecords, deleteRecord, requestReopen } from '@/storage/saved-predictions';
import { useSavedPredictions } from '@/storage/use-saved-predictions';

/** The saved predictions (the History page): list, filter by reference, re-open in its form, export CSV, delete one or all. */
export function SavedPredictionsView() {
  const { records, unreadable, error } = useSavedPredictions();
  const [query, setQuery] = useState('');
  const [confirming, setConfirming] = useState(false);
  const shown = records ? filterByReference(records, query) : [];

  function reopen(r: SavedPrediction) {
    requestReopen(r);
    window.location.assign(`#/${r.domain}`);
  }
  function exportCsv() {
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    saveBlob(new Blob([savedPredictionsCsv(shown)], { type: 'text/csv' }), `prognos-history-${stamp}.csv`);
  }

  return (
    <section className="panel" aria-labelledby="history-title">
      <h1 id="history-title">History</h1>
      <p>
        Predictions made in the forms while the history is on, kept in this browser only (IndexedDB). Nothing leaves the browser: no server receives
        them. Anyone using this browser profile can read them; delete them when you are done, and do not turn the history on on a shared computer.
      </p>
      <SaveOptIn />
      {error && (
        <p className="field-error" role="alert">
          The history could not be read: {error}
        </p>
      )}
      {records === null && <p role="status">Loading the history…</p>}
      <UnreadableRecords
        records={unreadable}
        noun="record"
        onDelete={(k) => void deleteRecord(k)}
        exportName="prognos-history-unreadable.json"
        testId="history-unreadable"
      />
      {records && records.length === 0 && unreadable.length === 0 && <p data-testid="history-empty">No predictions are kept in this browser.</p>}
      {records && records.length > 0 && (
        <>
          <HistoryActions {...{ query, setQuery, exportCsv, confirming, setConfirming }} shownCount={shown.length} total={records.length} />
          <p className="muted small" data-testid="history-count" role="status">
            {shown.length} of {records.length} kept predictions shown.
          </p>
          <HistoryTable records={shown} onReopen={reopen} />
        </>
      )}
    </section>
  );
}

/** Filter by reference, export what is shown, delete all (asked twice). */
function HistoryActions(props: {
  query: string;
  setQuery: (q: string) => void;
  exportCsv: () => void;
  shownCount: number;
  total: number;
  confirming: boolean;
  setConfirming: (on: boolean) => void;
}) {
  const { query, setQuery, exportCsv, shownCount, total, confirming, setConfirming } = props;
  return (
    <p className="actions">
      <label>
        Filter by reference <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />
      </label>{' '}
      <button type="button" onClick={exportCsv} disabled={shownCount === 0}>
        Export {shownCount === total ? 'all' : `these ${shownCount}`} as CSV
      </button>{' '}
      {confirming ? (
        <>
          <button type="button" className="danger" onClick={() => void clearRecords().then(() => setConfirming(false))}>
            Yes, delete all {total}
          </button>{' '}
          <button type="button" className="secondary" onClick={() => setConfirming(false)}>
            Keep them
          </button>
        </>
      ) : (
        <button type="button" className="secondary" onClick={() => setConfirming(true)}>
          Delete all
        </button>
      )}
    </p>
  );
}

/** The kept predictions shown, one row each, with Re-open and Delete. */
function HistoryTable({ records, onReopen }: { records: readonly SavedPrediction[]; onReopen: (r: SavedPrediction) => void }) {
  return (
    <table className="table table-reflow" aria-label="Kept predictions">
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Reference</th>
          <th scope="col">Form</th>
          <th scope="col">Model</th>
          <th scope="col">Risk</th>
          <th scope="col">Class (threshold)</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {records.map((r) => (
          <tr key={r.id} data-testid="history-row">
            <td data-label="Time">{new Date(r.created).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })}</td>
            <td data-label="Reference">{r.reference || '—'}</td>
            <td data-label="Form">{isDomainId(r.domain) ? getDomain(r.domain).nav.predict : r.domain}</td>
            <td data-label="Model">
              <code>{r.model.id}</code> {r.model.version}
            </td>
            <td data-label="Risk">{riskPct(r.probability)}</td>
            <td data-label="Class (threshold)">
              {r.class} ({riskPct(r.threshold)}
              {r.threshold_changed ? ', changed' : ''})
            </td>
            <td data-label="Actions">
              <button type="button" className="secondary" onClick={() => onReopen(r)} disabled={!isDomainId(r.domain)}>
                Re-open{r.reference ? ` ${r.reference}` : ''} in the form
              </button>{' '}
              <button
                type="button"
                className="secondary"
                onClick={() => void deleteRecord(r.id)}
                aria-label={`Delete ${r.reference || 'this record'}`}
              >
                Delete
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
