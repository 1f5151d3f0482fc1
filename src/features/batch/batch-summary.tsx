import { useState } from 'react';
import { fmtInt } from '@/components/ui/format';
import { RejectedRows } from '@/components/ui/rejected-rows';
import { saveBlob } from '@/components/ui/save-file';
import type { CsvReading } from '@/domain/csv/stream';
import { errorMessage } from '@/domain/errors';
import { describeNumberFormat, type NumberFormat } from '@/domain/number-format';
import { SAMPLE_FILE_PREFIX } from '@/domain/sample-data';
import { noun } from '@/domain/words';
import type { BatchSession } from '@/inference/client';
import type { FinishedRun } from './use-batch-run';

/** Counts, Cancel/failure notes, the download and the rejected rows of a finished run. */
export function Summary({
  run,
  onReread,
  threshold,
  absent = [],
  modelId = '',
}: {
  run: FinishedRun;
  onReread: ((f: NumberFormat) => void) | null;
  threshold?: number | undefined;
  /** Columns the file lacks that the chosen model does not read, with the models that would need them. */
  absent?: readonly { column: string; models: readonly string[] }[];
  modelId?: string;
}) {
  const p = run.progress;
  const { errors, errorsKept } = run.session.rows;
  // A threshold changed from the model's default is named in the file name and beside the button.
  const outName =
    run.fileName.replace(/\.(csv|parquet)$/i, '') + (threshold === undefined ? '' : `-threshold-${(threshold * 100).toFixed(2)}pct`) + '-scored.csv';
  return (
    <div>
      {run.status === 'cancelled' && <p role="alert">Cancelled: the rows read so far are scored and can be downloaded.</p>}
      {run.status === 'failed' && (
        <p className="field-error" role="alert">
          The file could not be read to the end: {run.message}
        </p>
      )}
      {run.fileName.startsWith(SAMPLE_FILE_PREFIX) && (
        <p role="note" data-testid="sample-note">
          This is <strong>generated sample data</strong>: rows made up in this browser from the models&apos; training ranges (seeded, the same every
          time), with a few bad rows on purpose. No real record is in it.
        </p>
      )}
      {/* Announced once, when the file is done; the progress bar itself is not a live region. */}
      <p data-testid="batch-summary" role="status">
        <strong>{fmtInt(p.rowsRead)}</strong> {noun(p.rowsRead, 'row')} read = <strong>{fmtInt(p.rowsScored)}</strong> scored +{' '}
        <strong>{fmtInt(p.rowsRejected)}</strong> rejected, in {(p.elapsedMs / 1000).toFixed(2)} s.
      </p>
      {absent.length > 0 && (
        <p role="note" data-testid="batch-absent">
          Scored by <code>{modelId}</code>, which does not read {noun(absent.length, 'the column', 'the columns')} this file lacks:{' '}
          {absent.map((a, i) => (
            <span key={a.column}>
              {i > 0 && '; '}
              <code>{a.column}</code> {a.models.length > 0 ? `(needed by ${a.models.join(', ')})` : '(read by no model)'}
            </span>
          ))}
          .
        </p>
      )}
      {run.header?.reading && <ReadingNote reading={run.header.reading} onReread={onReread} />}
      {p.rowsScored > 0 && <DownloadButton session={run.session} fileName={outName} threshold={threshold} />}
      <RejectedRows errors={errors} count={p.rowsRejected} truncated={p.rowsRejected > 0 && errors.length >= errorsKept} />
    </div>
  );
}

/** Which number format and units the file was read with, and a way to read it the other way. */
function ReadingNote({ reading, onReread }: { reading: CsvReading; onReread: ((f: NumberFormat) => void) | null }) {
  const other: NumberFormat = reading.format === 'comma' ? 'point' : 'comma';
  const delim = reading.delimiter === '\t' ? 'tab' : `"${reading.delimiter}"`;
  const withUnits = reading.units.filter((u) => u.unit !== '' && u.unit !== '0/1' && u.unit !== 'count');
  return (
    <div data-testid="batch-reading">
      {reading.formatFrom === 'typed' ? (
        <p>Read from a Parquet file: numbers, dates and texts as its columns are typed.</p>
      ) : (
        <p>
          Numbers read with a <strong>{describeNumberFormat(reading.format)}</strong>{' '}
          {reading.formatFrom === 'delimiter' ? `(chosen because cells are separated by ${delim})` : `(as set; cells separated by ${delim})`}.{' '}
          {onReread && (
            <button type="button" className="secondary" onClick={() => onReread(other)}>
              Read again with a {describeNumberFormat(other)}
            </button>
          )}
        </p>
      )}
      {reading.encoding && (
        <p role="note" data-testid="batch-encoding">
          The file is not UTF-8 text: it was read as <strong>{reading.encoding}</strong>. Check that names with accents (é, ü) look right below; the
          download is written in UTF-8.
        </p>
      )}
      {withUnits.length > 0 && (
        <p className="small">
          Units: {withUnits.map((u) => `${u.column} in ${u.unit}${u.from === 'header' ? ' (from its header)' : ''}`).join('; ')}.
        </p>
      )}
    </div>
  );
}

/** The worker writes the file when asked (re-reading the input), then the browser saves it. */
function DownloadButton({ session, fileName, threshold }: { session: BatchSession; fileName: string; threshold: number | undefined }) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  async function save() {
    setState({ busy: true, error: null });
    try {
      saveBlob(await session.download(threshold), fileName);
      setState({ busy: false, error: null });
    } catch (e) {
      setState({ busy: false, error: errorMessage(e) });
    }
  }
  return (
    <p>
      <button type="button" onClick={() => void save()} disabled={state.busy}>
        {state.busy ? 'Preparing…' : `Download ${fileName}`}
      </button>{' '}
      <span className="muted">(input columns plus probability, class, model, model_version, number_format, units)</span>
      {threshold !== undefined && (
        <span data-testid="download-threshold-note">
          {' '}
          Classes at the threshold you chose, {(threshold * 100).toFixed(2)} %, not the model&apos;s default.
        </span>
      )}
      {state.error && (
        <span className="field-error" role="alert">
          {' '}
          {state.error}
        </span>
      )}
    </p>
  );
}
