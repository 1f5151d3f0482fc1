import { historyInputs } from '@/domain/history';
import { streamCsv } from '@/domain/csv/stream';
import type { DomainSpec } from '@/domain/domains';
import { findLogColumns, FleetLog, logRowCheck, type LogColumns } from '@/domain/fleet-log';
import { ScoredFleet } from '@/domain/fleet-rank';
import { entityFeatures } from '@/domain/history';
import type { ModelEntry } from '@/domain/manifest';
import { nextTask } from './batch';
import { blobText } from './blob-text';
import type { Engine } from './engine';
import { MAX_ERRORS_SENT, type BatchRowError, type FleetProgress, type FleetSummary, type FromWorker } from './protocol';
import type { Scorer } from './scorers';

export interface FleetOptions {
  id: number;
  post: (msg: FromWorker, transfer?: Transferable[]) => void;
  signal: AbortSignal;
  helpers?: readonly Scorer[];
}

/** What the worker keeps of a scored log, for the page's questions and downloads. */
export interface FleetData {
  fleet: ScoredFleet;
  model: ModelEntry;
  columns: { entity: string; date: string; label: string | null };
}

/** Readings scored per session.run: whole devices, about this many readings. */
const SCORE_ROWS = 8192;
const PROGRESS_EVERY_MS = 100;

/** Thrown from onHeader when the file is not a log; turned into a refusal. */
class NotALog extends Error {
  constructor(
    message: string,
    readonly missing: string[],
  ) {
    super(message);
  }
}

/**
 * Read a daily log, compute each reading's history features, score them, rank each day.
 * Everything happens in this worker; the page gets progress, the rejected rows (capped), and
 * a summary, then asks questions (a day's list, a device) of what is kept here.
 */
export async function runFleet(engine: Engine, model: ModelEntry, domain: DomainSpec, file: Blob, opts: FleetOptions): Promise<FleetData | null> {
  const { id, post } = opts;
  const spec = domain.history;
  if (!spec) throw new Error(`${domain.title} declares no history: it has no daily log to read`);
  const featureIndex = model.features.map((f) => spec.features.findIndex((x) => x.name === f.name));
  const unknown = model.features.filter((_, i) => featureIndex[i]! < 0).map((f) => f.name);
  if (unknown.length > 0) throw new Error(`Model ${model.id} reads ${unknown.join(', ')}, which the declaration's history does not define`);
  const inputs = historyInputs(spec);
  const t0 = performance.now();
  const progress: FleetProgress = { stage: 'reading', rowsRead: 0, rowsRejected: 0, rowsScored: 0, bytesRead: 0, totalBytes: file.size, elapsedMs: 0 };
  let lastPost = 0;
  let pendingErrors: BatchRowError[] = [];
  let errorsSent = 0;
  const send = (force: boolean) => {
    const now = performance.now();
    if (!force && now - lastPost < PROGRESS_EVERY_MS) return;
    lastPost = now;
    progress.elapsedMs = now - t0;
    post({ type: 'fleet-progress', id, progress: { ...progress }, rejected: pendingErrors });
    pendingErrors = [];
  };

  let log: FleetLog | null = null;
  let logCols: LogColumns | null = null;
  let labelName: string | null = null;
  let check: ReturnType<typeof logRowCheck> = () => null;
  let result;
  try {
    result = await streamCsv(blobText(file), domain, {
      featureOrder: inputs,
      float64: true,
      signal: opts.signal,
      extraCheck: (cells, line) => check(cells, line),
      onHeader: (columns) => {
        const found = findLogColumns(columns, spec);
        if ('missing' in found) throw new NotALog(found.message, found.missing);
        logCols = found;
        check = logRowCheck(found);
        labelName = columns.label?.name ?? null;
        log = new FleetLog(inputs.length, found);
      },
      onBatch: (b) => {
        log!.add(b);
        for (const r of b.rejected) {
          for (const e of r.errors) {
            if (errorsSent >= MAX_ERRORS_SENT) break;
            pendingErrors.push(e);
            errorsSent++;
          }
        }
        Object.assign(progress, { rowsRead: b.progress.rowsRead, rowsRejected: b.progress.rowsRejected, bytesRead: b.progress.bytesRead });
        send(pendingErrors.length > 0 && errorsSent <= 20);
      },
    });
  } catch (e) {
    if (!(e instanceof NotALog)) throw e;
    post({ type: 'fleet-refused', id, message: e.message, missing: e.missing });
    return null;
  }
  if (result.status === 'refused') {
    post({ type: 'fleet-refused', id, message: result.message, missing: result.missing });
    return null;
  }
  if (result.status !== 'done' || !log || !logCols) {
    send(true);
    post({
      type: 'fleet-done', id, status: result.status === 'aborted' ? 'cancelled' : 'failed',
      message: result.status === 'failed' ? result.message : null, summary: null,
    });
    return null;
  }
  const parseMs = performance.now() - t0;
  const fleet = (log as FleetLog).assemble();
  // Columns by position in fleet.order: each device's readings one run, sorted by day.
  const n = fleet.order.length;
  const nIn = inputs.length;
  const day = new Int32Array(n);
  const label = new Int8Array(n);
  const line = new Int32Array(n);
  const entity = new Int32Array(n);
  const values = new Float64Array(n * nIn);
  {
    const L = log as FleetLog;
    const lDay = L.day.view();
    const lLabel = L.label.view();
    const lLine = L.line.view();
    const lValues = L.values.view();
    // The log in file order is not needed past this block: let it go before scoring allocates.
    log = null;
    for (let e = 0; e < fleet.entities.length; e++) entity.fill(e, fleet.entityStart[e]!, fleet.entityStart[e + 1]!);
    for (let pos = 0; pos < n; pos++) {
      const i = fleet.order[pos]!;
      day[pos] = lDay[i]!;
      label[pos] = lLabel[i]!;
      line[pos] = lLine[i]!;
      values.set(lValues.subarray(i * nIn, (i + 1) * nIn), pos * nIn);
    }
  }
  progress.stage = 'scoring';
  send(true);

  const tf = performance.now();
  const p1 = new Float32Array(n);
  const nF = spec.features.length;
  const nM = model.features.length;
  const inFlight: Promise<void>[] = [];
  let scoreMs = 0;
  let featureMs = 0;
  let helperRows = 0;
  for (let e = 0; e < fleet.entities.length; ) {
    if (opts.signal.aborted) break;
    // Whole devices, about SCORE_ROWS readings.
    const e0 = e;
    const s = fleet.entityStart[e0]!;
    do e++;
    while (e < fleet.entities.length && fleet.entityStart[e + 1]! - s <= SCORE_ROWS);
    const end = fleet.entityStart[e]!;
    const rows = end - s;
    if (rows === 0) continue;
    const tq = performance.now();
    const feats = new Float64Array(rows * nF);
    for (let q = e0; q < e; q++) {
      const a = fleet.entityStart[q]!;
      const b = fleet.entityStart[q + 1]!;
      entityFeatures(spec, inputs, day.subarray(a, b), values.subarray(a * nIn, b * nIn), feats, a - s);
    }
    const matrix = new Float32Array(rows * nM);
    for (let r = 0; r < rows; r++) for (let j = 0; j < nM; j++) matrix[r * nM + j] = feats[r * nF + featureIndex[j]!]!;
    featureMs += performance.now() - tq;
    let helper: Scorer | undefined;
    for (const h of opts.helpers ?? []) if (h.room() > (helper?.room() ?? 0)) helper = h;
    const here = async () => {
      const ts = performance.now();
      const out = (await engine.runMatrix(model, matrix, rows)).p1;
      scoreMs += performance.now() - ts;
      return out;
    };
    // A helper that fails hands the chunk back: it is scored here instead.
    const viaHelper = helper ? helper.score(model.id, matrix, rows).then((out) => ((helperRows += rows), out), here) : here();
    const scored = viaHelper.then((out) => p1.set(out, s));
    if (helper) inFlight.push(scored);
    else await scored;
    // With every helper full, let their replies in (messages): else this worker would score
    // chunk after chunk itself, never seeing that a helper has finished (as in batch.ts).
    const helpers = opts.helpers ?? [];
    if (helpers.length > 0 && helpers.every((h) => h.room() === 0)) await nextTask();
    progress.rowsScored = end;
    send(false);
  }
  await Promise.all(inFlight);
  if (opts.signal.aborted) {
    post({ type: 'fleet-done', id, status: 'cancelled', message: null, summary: null });
    return null;
  }
  const scoringMs = performance.now() - tf;
  const tr = performance.now();
  const p99 = new Map(model.features.map((f) => [f.name, f.p99]));
  const scoredFleet = new ScoredFleet({ fleet, day, p1, label, line, entity, values, inputs }, spec, model.threshold, p99);
  const rankMs = performance.now() - tr;
  progress.stage = 'done';
  progress.rowsScored = n;
  send(true);
  let failures = 0;
  for (let i = 0; i < n; i++) if (label[i] === 1) failures++;
  const cols = logCols as LogColumns;
  const summary: FleetSummary = {
    rowsRead: result.rowsRead,
    rowsRejected: result.rowsRejected,
    rowsKept: n,
    duplicates: fleet.duplicates.length,
    duplicateList: fleet.duplicates.slice(0, MAX_ERRORS_SENT),
    devices: fleet.entities.length,
    days: scoredFleet.days.length,
    firstDay: scoredFleet.days[0] ?? null,
    lastDay: scoredFleet.latestDay,
    hasLabel: labelName !== null,
    failures,
    columns: { entity: cols.entityName, date: cols.dateName, label: labelName },
    timings: { totalMs: performance.now() - t0, parseMs, featureMs, scoreMs, scoringMs, rankMs, helperRows },
  };
  post({ type: 'fleet-done', id, status: 'done', message: null, summary });
  return { fleet: scoredFleet, model, columns: summary.columns };
}
