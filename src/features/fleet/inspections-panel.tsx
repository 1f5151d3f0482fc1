import { useId, useState } from 'react';
import { fmtInt } from '@/components/ui/format';
import { RejectedRows } from '@/components/ui/rejected-rows';
import { saveBlob } from '@/components/ui/save-file';
import { UnreadableRecords } from '@/components/ui/unreadable-records';
import type { CellError } from '@/domain/csv/rows';
import { errorMessage } from '@/domain/errors';
import type { InspectionRecord } from '@/domain/fleet-workspace-record';
import { inspectionsToCsv, parseInspectionsCsv } from '@/domain/inspection-csv';
import type { InspectionSpec } from '@/domain/inspections';
import { addInspections, deleteInspection } from '@/storage/inspection-store';
import type { InspectionsState } from './use-inspections';

/**
 * The inspections kept in this browser: the hold-back setting in words, import from a
 * maintenance system's CSV export (bad rows listed, good rows kept), export, delete; records
 * that could not be read are listed with their problem until deleted.
 */
export function InspectionsPanel({
  domain,
  spec,
  state,
  subject,
  entityColumn,
  holdDays,
  setHoldDays,
}: {
  domain: string;
  spec: InspectionSpec;
  state: InspectionsState;
  subject: string;
  entityColumn: string;
  holdDays: number;
  setHoldDays: (h: number) => void;
}) {
  const id = useId();
  const { imported, problem, importFile } = useInspectionsImport(domain, spec);

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Inspections</h2>
      <HoldBackSetting id={id} spec={spec} subject={subject} holdDays={holdDays} setHoldDays={setHoldDays} />
      <p>
        {fmtInt(state.records.length)} {state.records.length === 1 ? 'inspection is' : 'inspections are'} kept in this browser.
      </p>
      <label htmlFor={`${id}-import`} className="file-label">
        Import inspections (CSV: {subject}, date, outcome, note)
      </label>{' '}
      <input
        id={`${id}-import`}
        type="file"
        accept=".csv,text/csv"
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void importFile(f);
          e.target.value = '';
        }}
      />
      <div className="actions">
        <button
          type="button"
          className="secondary"
          disabled={state.inspections.length === 0}
          onClick={() =>
            saveBlob(new Blob([inspectionsToCsv(state.inspections, spec, entityColumn)], { type: 'text/csv' }), `${domain}-inspections.csv`)
          }
        >
          Export the inspections (CSV)
        </button>
      </div>
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      {state.problem && (
        <p className="field-error" role="alert">
          {state.problem}
        </p>
      )}
      {imported && <ImportedReport imported={imported} />}
      <UnreadableRecords
        records={state.unreadable}
        noun="inspection record"
        onDelete={(k) => void deleteInspection(k)}
        exportName={`${domain}-inspections-unreadable.json`}
      />
      {state.records.length > 0 && <RecordedInspections records={state.records} spec={spec} />}
    </section>
  );
}

/** What an import did: one sentence, and the rows rejected with why. */
interface Imported {
  text: string;
  errors: CellError[];
  count: number;
}

/** Importing a maintenance system's CSV export: what it did in one sentence with the rows it rejected, or why nothing was kept. */
function useInspectionsImport(domain: string, spec: InspectionSpec) {
  const [imported, setImported] = useState<Imported | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function importFile(file: File) {
    setProblem(null);
    setImported(null);
    const r = parseInspectionsCsv(await file.text(), spec);
    if (!r.ok) {
      setProblem(r.message);
      return;
    }
    try {
      await addInspections(domain, r.inspections);
    } catch (e) {
      setProblem(`The inspections could not be kept: ${errorMessage(e)}`);
      return;
    }
    const errors = r.rejected.flatMap((x) => x.errors);
    setImported({
      text: `${file.name}: ${fmtInt(r.rowsRead)} ${r.rowsRead === 1 ? 'row' : 'rows'} read = ${fmtInt(r.inspections.length)} recorded + ${fmtInt(r.rejected.length)} rejected (columns ${r.columns.entity}, ${r.columns.date}, ${r.columns.outcome}${r.columns.note ? `, ${r.columns.note}` : ''}).`,
      errors,
      count: r.rejected.length,
    });
  }
  return { imported, problem, importFile };
}

/** What the last import did, with the rows it rejected. */
function ImportedReport({ imported }: { imported: Imported }) {
  return (
    <div role="status">
      <p>{imported.text}</p>
      <RejectedRows errors={imported.errors} count={imported.count} truncated={false} />
    </div>
  );
}

/** How many days a device inspected with nothing found is held back, and what that means. */
function HoldBackSetting({
  id,
  spec,
  subject,
  holdDays,
  setHoldDays,
}: {
  id: string;
  spec: InspectionSpec;
  subject: string;
  holdDays: number;
  setHoldDays: (h: number) => void;
}) {
  const [holdText, setHoldText] = useState(String(holdDays));
  const holdValid = /^\d+$/.test(holdText.trim()) && Number(holdText) <= 365;
  return (
    <>
      <p>
        <label htmlFor={`${id}-hold`}>Hold a {subject} back for</label>{' '}
        <input
          id={`${id}-hold`}
          type="number"
          min={0}
          max={365}
          step={1}
          value={holdText}
          aria-invalid={!holdValid}
          aria-describedby={`${id}-hold-help`}
          onChange={(e) => {
            setHoldText(e.target.value);
            if (/^\d+$/.test(e.target.value.trim()) && Number(e.target.value) <= 365) setHoldDays(Number(e.target.value));
          }}
        />{' '}
        days after an inspection that found nothing.
      </p>
      <p id={`${id}-hold-help`} className="muted">
        An inspection is taken to vouch for the next {spec.coverDays} days: a {subject} inspected with nothing found leaves the day&apos;s top K for{' '}
        {holdValid ? holdText : holdDays} days, unless its risk reaches {spec.riseFactor} times its risk on the inspection day, when it comes back at
        once. 0 turns the hold-back off. Longer than the inspection vouches for loses failures: the model card shows the trade-off.
        {!holdValid && <span className="field-error"> Enter a whole number of days from 0 to 365 (using {holdDays}).</span>}
      </p>
    </>
  );
}

/** The inspections kept, newest first, each with its delete button. */
function RecordedInspections({ records, spec }: { records: readonly InspectionRecord[]; spec: InspectionSpec }) {
  return (
    <details>
      <summary>Recorded inspections ({fmtInt(records.length)})</summary>
      <ul aria-label="Recorded inspections">
        {[...records].reverse().map((r) => (
          <li key={r.id}>
            {r.date}, {r.entity}: {spec.outcomes.find((o) => o.id === r.outcome)?.label ?? r.outcome}
            {r.note ? ` (${r.note})` : ''}{' '}
            <button
              type="button"
              className="secondary"
              onClick={() => void deleteInspection(r.id)}
              aria-label={`Delete the inspection of ${r.entity} on ${r.date}`}
            >
              Delete
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
