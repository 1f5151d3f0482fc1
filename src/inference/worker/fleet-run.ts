import { streamCsv, type StreamResult } from '@/domain/csv/stream';
import type { DomainSpec } from '@/domain/domains';
import type { Fleet } from '@/domain/fleet';
import { findLogColumns, FleetLog, logRowCheck, type LogColumns } from '@/domain/fleet-log';
import { ScoredFleet } from '@/domain/fleet-rank';
import { entityFeatures, historyInputs, type HistorySpec } from '@/domain/history';
import type { ModelEntry } from '@/domain/manifest';
import { blobText } from './blob-text';
import type { Engine } from './engine';
import { MAX_ERRORS_SENT, type BatchRowError, type FleetProgress, type FleetSummary, type FromWorker } from '@/inference/protocol';
import type { Scorer } from './scorers';
import { pickHelper, RejectedSent, throttledPoster, yieldToHelpers } from './worker-job';

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

/** Thrown from onHeader when the file is not a log; turned into a refusal. */
class NotALog extends Error {
  constructor(
    message: string,
    readonly missing: string[],
  ) {
    super(message);
  }
}

/** A run's progress and its rejected rows, posted to the page at a steady pace. */
class FleetReporter {
  readonly progress: FleetProgress;
  readonly rejected = new RejectedSent();
  private pending: BatchRowError[] = [];
  private readonly t0 = performance.now();
  readonly send: (force: boolean) => void;

  constructor(id: number, post: FleetOptions['post'], totalBytes: number) {
    this.progress = { stage: 'reading', rowsRead: 0, rowsRejected: 0, rowsScored: 0, bytesRead: 0, totalBytes, elapsedMs: 0 };
    this.send = throttledPoster(() => {
      this.progress.elapsedMs = performance.now() - this.t0;
      post({ type: 'fleet-progress', id, progress: { ...this.progress }, rejected: this.pending });
      this.pending = [];
    });
  }

  addRejected(rows: readonly { errors: readonly BatchRowError[] }[]): void {
    this.pending.push(...this.rejected.take(rows));
  }

  /** The first rejected rows are shown at once (the user sees what is wrong early). */
  get urgent(): boolean {
    return this.pending.length > 0 && this.rejected.sent <= 20;
  }
}

/** The log as read from the file, in file order, or why there is none. */
type ReadLog =
  | { kind: 'log'; log: FleetLog | null; cols: LogColumns; labelName: string | null; result: Extract<StreamResult, { status: 'done' }> }
  | { kind: 'refused'; message: string; missing: string[] }
  | { kind: 'stopped'; result: StreamResult };

/** Read the file into a FleetLog (columns, not rows), reporting progress and rejected rows. */
async function readLog(file: Blob, domain: DomainSpec, spec: HistorySpec, inputs: string[], signal: AbortSignal, rep: FleetReporter): Promise<ReadLog> {
  let log: FleetLog | null = null;
  let cols: LogColumns | null = null;
  let labelName: string | null = null;
  let check: ReturnType<typeof logRowCheck> = () => null;
  let result: StreamResult;
  try {
    result = await streamCsv(blobText(file), domain, {
      featureOrder: inputs,
      float64: true,
      signal,
      extraCheck: (cells, line) => check(cells, line),
      onHeader: (columns) => {
        const found = findLogColumns(columns, spec);
        if ('missing' in found) throw new NotALog(found.message, found.missing);
        cols = found;
        check = logRowCheck(found);
        labelName = columns.label?.name ?? null;
        log = new FleetLog(inputs.length, found);
      },
      onBatch: (b) => {
        log!.add(b);
        rep.addRejected(b.rejected);
        Object.assign(rep.progress, { rowsRead: b.progress.rowsRead, rowsRejected: b.progress.rowsRejected, bytesRead: b.progress.bytesRead });
        rep.send(rep.urgent);
      },
    });
  } catch (e) {
    if (!(e instanceof NotALog)) throw e;
    return { kind: 'refused', message: e.message, missing: e.missing };
  }
  if (result.status === 'refused') return { kind: 'refused', message: result.message, missing: result.missing };
  if (result.status !== 'done' || !log || !cols) return { kind: 'stopped', result };
  return { kind: 'log', log, cols, labelName, result };
}

/** The log's columns by position in fleet.order: each device's readings one run, sorted by day. */
function byDevice(log: FleetLog, fleet: Fleet, nIn: number) {
  const n = fleet.order.length;
  const day = new Int32Array(n);
  const label = new Int8Array(n);
  const line = new Int32Array(n);
  const entity = new Int32Array(n);
  const values = new Float64Array(n * nIn);
  const lDay = log.day.view();
  const lLabel = log.label.view();
  const lLine = log.line.view();
  const lValues = log.values.view();
  for (let e = 0; e < fleet.entities.length; e++) entity.fill(e, fleet.entityStart[e]!, fleet.entityStart[e + 1]!);
  for (let pos = 0; pos < n; pos++) {
    const i = fleet.order[pos]!;
    day[pos] = lDay[i]!;
    label[pos] = lLabel[i]!;
    line[pos] = lLine[i]!;
    values.set(lValues.subarray(i * nIn, (i + 1) * nIn), pos * nIn);
  }
  return { day, label, line, entity, values };
}

/** Compute each device's history features and score them, whole devices per chunk, on helpers too. */
async function scoreReadings(
  engine: Engine,
  model: ModelEntry,
  spec: HistorySpec,
  inputs: string[],
  fleet: Fleet,
  cols: { day: Int32Array; values: Float64Array },
  opts: FleetOptions,
  rep: FleetReporter,
) {
  const n = fleet.order.length;
  const nIn = inputs.length;
  const featureIndex = model.features.map((f) => spec.features.findIndex((x) => x.name === f.name));
  const p1 = new Float32Array(n);
  const nF = spec.features.length;
  const nM = model.features.length;
  const helpers = opts.helpers ?? [];
  const inFlight: Promise<void>[] = [];
  const times = { scoreMs: 0, featureMs: 0, helperRows: 0 };
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
      entityFeatures(spec, inputs, cols.day.subarray(a, b), cols.values.subarray(a * nIn, b * nIn), feats, a - s);
    }
    const matrix = new Float32Array(rows * nM);
    for (let r = 0; r < rows; r++) for (let j = 0; j < nM; j++) matrix[r * nM + j] = feats[r * nF + featureIndex[j]!]!;
    times.featureMs += performance.now() - tq;
    const helper = pickHelper(helpers);
    const here = async () => {
      const ts = performance.now();
      const out = (await engine.runMatrix(model, matrix, rows)).p1;
      times.scoreMs += performance.now() - ts;
      return out;
    };
    // A helper that fails hands the chunk back: it is scored here instead.
    const viaHelper = helper ? helper.score(model.id, matrix, rows).then((out) => ((times.helperRows += rows), out), here) : here();
    const scored = viaHelper.then((out) => p1.set(out, s));
    if (helper) inFlight.push(scored);
    else await scored;
    await yieldToHelpers(helpers);
    rep.progress.rowsScored = end;
    rep.send(false);
  }
  await Promise.all(inFlight);
  return { p1, ...times };
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
  const unknown = model.features.filter((f) => !spec.features.some((x) => x.name === f.name)).map((f) => f.name);
  if (unknown.length > 0) throw new Error(`Model ${model.id} reads ${unknown.join(', ')}, which the declaration's history does not define`);
  const inputs = historyInputs(spec);
  const t0 = performance.now();
  const rep = new FleetReporter(id, post, file.size);

  const read = await readLog(file, domain, spec, inputs, opts.signal, rep);
  if (read.kind === 'refused') {
    post({ type: 'fleet-refused', id, message: read.message, missing: read.missing });
    return null;
  }
  if (read.kind === 'stopped') {
    const r = read.result;
    rep.send(true);
    post({ type: 'fleet-done', id, status: r.status === 'aborted' ? 'cancelled' : 'failed', message: r.status === 'failed' ? r.message : null, summary: null });
    return null;
  }
  const parseMs = performance.now() - t0;
  const fleet = read.log!.assemble();
  const cols = byDevice(read.log!, fleet, inputs.length);
  // The log in file order is not needed past here: let it go before scoring allocates.
  read.log = null;
  rep.progress.stage = 'scoring';
  rep.send(true);

  const tf = performance.now();
  const scored = await scoreReadings(engine, model, spec, inputs, fleet, cols, opts, rep);
  if (opts.signal.aborted) {
    post({ type: 'fleet-done', id, status: 'cancelled', message: null, summary: null });
    return null;
  }
  const scoringMs = performance.now() - tf;
  const tr = performance.now();
  const p99 = new Map(model.features.map((f) => [f.name, f.p99]));
  const scoredFleet = new ScoredFleet({ fleet, ...cols, p1: scored.p1, inputs }, spec, model.threshold, p99);
  const rankMs = performance.now() - tr;
  const n = fleet.order.length;
  rep.progress.stage = 'done';
  rep.progress.rowsScored = n;
  rep.send(true);
  let failures = 0;
  for (let i = 0; i < n; i++) if (cols.label[i] === 1) failures++;
  const { result, labelName } = read;
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
    columns: { entity: read.cols.entityName, date: read.cols.dateName, label: labelName },
    timings: { totalMs: performance.now() - t0, parseMs, featureMs: scored.featureMs, scoreMs: scored.scoreMs, scoringMs, rankMs, helperRows: scored.helperRows },
  };
  post({ type: 'fleet-done', id, status: 'done', message: null, summary });
  return { fleet: scoredFleet, model, columns: summary.columns };
}
