import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, startTransition, useEffect, useId, useMemo, useRef, useState } from 'react';
import { CalibrationChart, ConfusionTable, PrChart, RocChart } from '@/components/ui/curves';
import { seriesColors } from '@/components/ui/chart-data';
import { meanSd, num, pct } from '@/components/ui/format';
import { saveBlob } from '@/components/ui/save-file';
import { domains } from '@/domain/domains';
import { compareWithCard } from '@/domain/drift';
import { isPositive, type DomainId, type ModelEntry } from '@/domain/manifest';
import type { EvaluationReport } from '@/domain/metrics';
import { inference } from '@/inference/client';
import { CELLS_KEPT, MAX_ERRORS_SENT, type BatchProgress } from '@/inference/protocol';
import { useDomainModels, useHelpersReady } from '@/inference/use-inference';
import { useModelCard } from '@/inference/model-cards';
import { BatchRows, rates } from './batch-store';

type Phase =
  | { phase: 'idle' }
  | { phase: 'running'; progress: BatchProgress | null }
  | { phase: 'refused'; message: string }
  | { phase: 'failed'; message: string }
  | {
      phase: 'finished';
      status: 'done' | 'cancelled' | 'failed';
      message: string | null;
      progress: BatchProgress;
      /** True from the summary until the evaluation arrives. */
      evaluating: boolean;
      evaluation: EvaluationReport | null;
    };

interface Header {
  columns: string[];
  hasLabel: boolean;
}

const fmtInt = (n: number) => n.toLocaleString('en-US');
const CARD = { name: 'model card', color: seriesColors.primary };
const MINE = { name: 'your data', color: seriesColors.secondary };
/** Progress renders while a file is scored: each costs the main thread a few ms of a core the workers could use. */
const RENDER_EVERY_MS = 400;
/** Rows listed in the table at most (its layout work grows with its length); the download has all. */
const TABLE_ROWS_MAX = 200_000;

export function BatchView({ domain }: { domain: DomainId }) {
  const spec = domains[domain];
  const { models, ready } = useDomainModels(domain);
  const helpersReady = useHelpersReady();
  const [modelId, setModelId] = useState<string | null>(null);
  const model = models.find((m) => m.id === modelId) ?? models[0] ?? null;
  const [phase, setPhase] = useState<Phase>({ phase: 'idle' });
  const [header, setHeader] = useState<Header | null>(null);
  const [fileName, setFileName] = useState<string>('');
  // Rows the table shows: set in transitions, so the summary never waits for the table.
  const [shown, setShown] = useState(0);
  const [batchId, setBatchId] = useState<number | null>(null);
  // A mutable store the worker's chunks are appended to; `shown` re-renders the table.
  const [rows, setRows] = useState(() => new BatchRows());
  const cancelRef = useRef<(() => void) | null>(null);
  const lastRender = useRef(0);
  const [dragging, setDragging] = useState(false);
  const inputId = useId();

  useEffect(() => () => cancelRef.current?.(), []);
  // Helper workers score chunks on the other cores; started now, they are ready when a file is.
  useEffect(() => inference.startHelpers(), []);

  function start(file: File) {
    if (!model) return;
    cancelRef.current?.();
    const store = new BatchRows();
    setRows(store);
    setHeader(null);
    setBatchId(null);
    setFileName(file.name);
    setPhase({ phase: 'running', progress: null });
    setShown(0);
    // The first update too waits a render interval: a file that scores within it costs the
    // page one render, at the end, and leaves the cores to the workers meanwhile.
    lastRender.current = performance.now();
    const run = inference.batch(model.id, file, (m) => {
      switch (m.type) {
        case 'batch-header':
          setHeader({ columns: m.columns, hasLabel: m.hasLabel });
          return;
        case 'batch-refused':
          setPhase({ phase: 'refused', message: m.message });
          return;
        case 'batch-chunk': {
          store.add({ lines: m.lines, p1: m.p1, truth: m.truth, cellsJson: m.cellsJson }, m.rejected);
          // Re-render a few times a second at most, as an interruptible transition: the page
          // stays responsive however fast chunks arrive.
          const now = performance.now();
          if (now - lastRender.current < RENDER_EVERY_MS) return;
          lastRender.current = now;
          startTransition(() => {
            setPhase({ phase: 'running', progress: m.progress });
            // While scoring, the table holds the rows with cells at most: its cost grows with its length.
            setShown(Math.min(store.length, CELLS_KEPT));
          });
          return;
        }
        case 'batch-done':
          cancelRef.current = null;
          setBatchId(m.id);
          // The summary first, then the table in a transition; the evaluation follows in its own message.
          setPhase({ phase: 'finished', status: m.status, message: m.message, progress: m.progress, evaluating: m.evaluating, evaluation: null });
          startTransition(() => setShown(Math.min(store.length, TABLE_ROWS_MAX)));
          return;
        case 'batch-evaluation': {
          const evaluation = m.evaluation;
          // The evaluation charts render in an interruptible transition.
          startTransition(() => setPhase((p) => (p.phase === 'finished' ? { ...p, evaluating: false, evaluation } : p)));
          return;
        }
        case 'error':
          cancelRef.current = null;
          setPhase({ phase: 'failed', message: m.message });
      }
    });
    cancelRef.current = run.cancel;
  }

  const progress = phase.phase === 'running' ? phase.progress : phase.phase === 'finished' ? phase.progress : null;
  const required = model ? model.features.map((f) => f.name) : [];

  return (
    <div className="batch">
      <section className="panel" aria-labelledby="batch-title">
        <h1 id="batch-title">{domain === 'heart' ? 'Patient' : 'Device'} batch: score a CSV file</h1>
        <p className="lede">
          The file is read and scored in this browser, in chunks; nothing is uploaded. Columns are matched by name in
          any order and case: {required.map((n) => <code key={n}>{n}</code>).reduce<React.ReactNode[]>((a, c) => (a.length ? [...a, ', ', c] : [c]), [])}
          {domain === 'device' && <> (or <code>attribute1</code>…<code>attribute9</code>; <code>metric8</code> is ignored)</>}. Other
          columns are kept in the download. With a <code>{spec.labelColumn}</code> column, the model is also evaluated
          on your data.
        </p>
        <fieldset className="model-choice">
          <legend>Model</legend>
          {models.map((m) => (
            <label key={m.id}>
              <input type="radio" name={`${domain}-batch-model`} checked={model?.id === m.id} onChange={() => setModelId(m.id)} /> {m.title}{' '}
              <code>{m.id}</code>
              {m.default ? ' (default)' : ''}
            </label>
          ))}
          {!ready && <p>Loading models…</p>}
        </fieldset>
        <div
          className={`dropzone${dragging ? ' dropzone-active' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            const f = e.dataTransfer.files[0];
            if (f) start(f);
          }}
        >
          <p>Drop a CSV file here, or</p>
          <label htmlFor={inputId} className="file-label">
            Choose a CSV file
          </label>{' '}
          <input
            id={inputId}
            type="file"
            accept=".csv,text/csv"
            disabled={!ready}
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) start(f);
              e.target.value = '';
            }}
          />
        </div>
        {helpersReady > 0 && (
          <p className="muted small" data-testid="batch-workers">
            Ready to score on {helpersReady + 1} processor cores in parallel.
          </p>
        )}
      </section>

      {phase.phase !== 'idle' && (
        <section className="panel" aria-labelledby="batch-progress-title">
          <h2 id="batch-progress-title">{fileName}</h2>
          {phase.phase === 'refused' && (
            <p className="field-error" role="alert">
              The file was refused: {phase.message}
            </p>
          )}
          {phase.phase === 'failed' && (
            <p className="field-error" role="alert">
              Scoring failed: {phase.message}
            </p>
          )}
          {(phase.phase === 'running' || phase.phase === 'finished') && (
            <ProgressBlock progress={progress} running={phase.phase === 'running'} onCancel={() => cancelRef.current?.()} />
          )}
          {phase.phase === 'finished' && (
            <Summary
              phase={phase}
              batchId={batchId}
              fileName={fileName}
              errors={rows.errors}
            />
          )}
        </section>
      )}

      {phase.phase === 'finished' && phase.evaluating && (
        <p className="panel" data-testid="batch-evaluating">
          Computing the evaluation on your labels…
        </p>
      )}
      {phase.phase === 'finished' && phase.evaluation && model && <EvaluationPanel report={phase.evaluation} model={model} />}
      {/* Mounted from the start with the model card's curves, so the labelled file's curves
          arrive as a cheap update rather than a first chart render at the end of a batch. */}
      {model && <CurvesPanel report={phase.phase === 'finished' ? phase.evaluation : null} model={model} />}

      {header && shown > 0 && model && <ResultsTable rows={rows} count={shown} running={phase.phase === 'running'} header={header} model={model} />}
    </div>
  );
}

function ProgressBlock({ progress, running, onCancel }: { progress: BatchProgress | null; running: boolean; onCancel: () => void }) {
  const r = progress ? rates(progress) : null;
  const fraction = progress && progress.totalBytes > 0 ? progress.bytesRead / progress.totalBytes : 0;
  return (
    <div className="progress-block">
      <progress className="progress" max={1} value={running ? fraction : 1} aria-label="Scoring progress" />
      <p>
        {progress ? `${fmtInt(progress.rowsRead)} rows read` : 'Starting…'}
        {r && r.rowsPerSecond > 0 ? ` · ${fmtInt(Math.round(r.rowsPerSecond))} rows/s` : ''}
        {running && r?.secondsLeft != null ? ` · about ${r.secondsLeft.toFixed(1)} s left` : ''}
      </p>
      {running && (
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      )}
    </div>
  );
}

function Summary({
  phase,
  batchId,
  fileName,
  errors,
}: {
  phase: Extract<Phase, { phase: 'finished' }>;
  batchId: number | null;
  fileName: string;
  errors: { line: number; column: string; value: string; message: string }[];
}) {
  const p = phase.progress;
  const outName = fileName.replace(/\.csv$/i, '') + '-scored.csv';
  return (
    <div>
      {phase.status === 'cancelled' && <p role="alert">Cancelled: the rows read so far are scored and can be downloaded.</p>}
      {phase.status === 'failed' && (
        <p className="field-error" role="alert">
          The file could not be read to the end: {phase.message}
        </p>
      )}
      {/* Announced once, when the file is done; the progress bar itself is not a live region. */}
      <p data-testid="batch-summary" role="status">
        <strong>{fmtInt(p.rowsRead)}</strong> rows read = <strong>{fmtInt(p.rowsScored)}</strong> scored +{' '}
        <strong>{fmtInt(p.rowsRejected)}</strong> rejected, in {(p.elapsedMs / 1000).toFixed(2)} s.
      </p>
      {batchId !== null && p.rowsScored > 0 && <DownloadButton batchId={batchId} fileName={outName} />}
      {errors.length > 0 && (
        <details open={errors.length <= 20}>
          <summary>
            Rejected rows: {fmtInt(p.rowsRejected)}
            {p.rowsRejected > 0 && errors.length >= MAX_ERRORS_SENT ? ` (first ${fmtInt(MAX_ERRORS_SENT)} problems listed)` : ''}
          </summary>
          <table className="table" aria-label="Rejected rows">
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Column</th>
                <th scope="col">Value</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {errors.map((e, i) => (
                <tr key={i}>
                  <td>{e.line}</td>
                  <td>{e.column || '(row)'}</td>
                  <td>
                    <code>{e.value}</code>
                  </td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </div>
  );
}

/** The worker writes the file when asked (re-reading the input), then the browser saves it. */
function DownloadButton({ batchId, fileName }: { batchId: number; fileName: string }) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  async function save() {
    setState({ busy: true, error: null });
    try {
      saveBlob(await inference.download(batchId), fileName);
      setState({ busy: false, error: null });
    } catch (e) {
      setState({ busy: false, error: (e as Error).message });
    }
  }
  return (
    <p>
      <button type="button" onClick={() => void save()} disabled={state.busy}>
        {state.busy ? 'Preparing…' : `Download ${fileName}`}
      </button>{' '}
      <span className="muted">(input columns plus probability, class, model, model_version)</span>
      {state.error && (
        <span className="field-error" role="alert">
          {' '}
          {state.error}
        </span>
      )}
    </p>
  );
}

function EvaluationPanel({ report, model }: { report: EvaluationReport; model: ModelEntry }) {
  const rows = compareWithCard(report.metrics, model.evaluation.metrics);
  const drift = rows.filter((r) => r.sentence);
  return (
    <section className="panel" aria-labelledby="eval-title">
      <h2 id="eval-title">Evaluation on your labelled data</h2>
      <p>
        {fmtInt(report.n)} labelled rows, {fmtInt(report.positives)} positive ({model.class_labels[1]}), threshold{' '}
        {num(model.threshold, 4)}. The model card&apos;s figures come from {model.evaluation.protocol.replace(/\.$/, '')}.
      </p>
      {drift.length > 0 ? (
        <ul className="notes" aria-label="Differences from the model card">
          {drift.map((r) => (
            <li key={r.name}>{r.sentence}</li>
          ))}
          {drift.some((r) => r.observed !== null && r.observed > r.hi && r.name !== 'flag_rate') && (
            <li>
              Figures better than the card are expected when the file holds rows the model was trained on: the card&apos;s
              figures are measured on held-out rows only.
            </li>
          )}
        </ul>
      ) : (
        <p>Every metric lies within the model card&apos;s spread (mean ± 2 sd).</p>
      )}
      {report.notes.length > 0 && (
        <ul className="muted">
          {report.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      <table className="table" aria-label="Metrics on your data and on the model card">
        <thead>
          <tr>
            <th scope="col">Metric</th>
            <th scope="col">Your data</th>
            <th scope="col">Model card (mean ± sd)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name} className={r.outside ? 'row-flagged' : undefined}>
              <th scope="row">{r.label}</th>
              <td data-testid={`eval-${r.name}`}>{r.observed === null ? 'not defined' : r.observed.toFixed(3)}</td>
              <td>
                {meanSd(r.cardMean, r.cardSd)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ConfusionTable confusion={report.confusion} labels={model.class_labels} caption={`Confusion matrix at threshold ${num(model.threshold, 4)}`} />
    </section>
  );
}

// memo: progress updates re-render the view, not these charts.
// Memoised: each chart re-renders only when its own series change (see CurvesPanel).
const Roc = memo(RocChart);
const Pr = memo(PrChart);
const Calibration = memo(CalibrationChart);

const CurvesPanel = memo(function CurvesPanel({ report, model }: { report: EvaluationReport | null; model: ModelEntry }) {
  // A labelled file's curves join the model card's one chart per task, so that no single
  // main-thread task renders all three (about 100 ms together on 2 cores).
  const [staged, setStaged] = useState<{ report: EvaluationReport | null; charts: number }>({ report: null, charts: 0 });
  const charts = staged.report === report ? staged.charts : 0;
  useEffect(() => {
    if (!report || charts >= 3) return;
    const t = setTimeout(() => setStaged({ report, charts: charts + 1 }), 0);
    return () => clearTimeout(t);
  }, [report, charts]);
  const rocOf = charts >= 1 ? report : null;
  const prOf = charts >= 2 ? report : null;
  const calibrationOf = charts >= 3 ? report : null;
  // The card's curves come from the full manifest.json (fetched on demand), not the engine's.
  const card = useModelCard(model.id)?.evaluation;
  const roc = useMemo(() => [...(rocOf ? [{ ...MINE, points: rocOf.roc }] : []), { ...CARD, points: card?.roc ?? [] }], [rocOf, card]);
  const pr = useMemo(() => [...(prOf ? [{ ...MINE, points: prOf.pr }] : []), { ...CARD, points: card?.pr ?? [] }], [prOf, card]);
  const calibration = useMemo(
    () => [...(calibrationOf ? [{ ...MINE, points: calibrationOf.calibration }] : []), { ...CARD, points: card?.calibration ?? [] }],
    [calibrationOf, card],
  );
  return (
    <section className="panel" aria-labelledby="curves-title">
      <h2 id="curves-title">{report ? 'Curves: your data and the model card' : `Model card curves of ${model.id} (held-out data)`}</h2>
      {!report && <p className="muted">Load a file with a {model.domain === 'heart' ? 'DEATH_EVENT' : 'failure'} column to compare with your own data.</p>}
      <div className="charts">
        <Roc series={roc} />
        <Pr series={pr} />
        <Calibration series={calibration} />
      </div>
    </section>
  );
});

/** The first `count` rows of the store (it grows while this shows a snapshot). */
const rowHeight = () => 30;

const ResultsTable = memo(function ResultsTable({
  rows,
  count,
  running,
  header,
  model,
}: {
  rows: BatchRows;
  count: number;
  running: boolean;
  header: Header;
  model: ModelEntry;
}) {
  const parentRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual returns fresh functions by design
  const virtualizer = useVirtualizer({ count, getScrollElement: () => parentRef.current, estimateSize: rowHeight, overscan: 10 });
  const cols = header.columns;
  const template = `7rem 8rem 5rem repeat(${cols.length}, minmax(6rem, 1fr))`;
  return (
    <section className="panel" aria-labelledby="rows-title">
      <h2 id="rows-title">
        Scored rows (
        {running
          ? `the first ${fmtInt(count)} while scoring`
          : count < rows.length
            ? `the first ${fmtInt(count)} of ${fmtInt(rows.length)}; the download has every row`
            : fmtInt(count)}
        )
      </h2>
      {count > CELLS_KEPT && (
        <p className="muted">Input columns are shown for the first {fmtInt(CELLS_KEPT)} rows; the download has every row.</p>
      )}
      <div role="table" aria-label="Scored rows" aria-rowcount={count + 1} className="vtable">
        <div role="row" className="vrow vhead" style={{ gridTemplateColumns: template }}>
          <span role="columnheader">probability</span>
          <span role="columnheader">class</span>
          <span role="columnheader">line</span>
          {cols.map((c, i) => (
            <span role="columnheader" key={i}>
              {c}
            </span>
          ))}
        </div>
        <div ref={parentRef} className="vbody" role="rowgroup">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((v) => {
              const r = rows.row(v.index);
              const pos = isPositive(r.p1, model.threshold);
              return (
                <div
                  role="row"
                  aria-rowindex={v.index + 2}
                  key={v.key}
                  className={`vrow${pos ? ' vrow-pos' : ''}`}
                  style={{ gridTemplateColumns: template, transform: `translateY(${v.start}px)` }}
                >
                  <span role="cell">{pct(r.p1)}</span>
                  <span role="cell">{model.class_labels[pos ? 1 : 0]}</span>
                  <span role="cell">{r.line}</span>
                  {cols.map((_, i) => (
                    <span role="cell" key={i}>
                      {r.cells ? r.cells[i] : '…'}
                    </span>
                  ))}
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </section>
  );
});
