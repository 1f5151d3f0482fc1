import { typeProblems } from '@/domain/csv/row-source';
import type { StreamResult } from '@/domain/csv/stream';
import { rankAfterAppend, type DayRanking } from '@/domain/day-ranking';
import type { DomainSpec } from '@/domain/domains';
import type { Fleet } from '@/domain/fleet';
import { findLogColumns, FleetLog, logColumnKinds, logRowCheck, type LogColumns } from '@/domain/fleet-log';
import { ScoredFleet } from '@/domain/fleet-rank';
import { fleetColumns, mergeLog, type KeptLog, type LogRoom, type MergeResult } from '@/domain/fleet-workspace';
import type { AppendedFile } from '@/domain/fleet-workspace-record';
import { devicesWithGap } from '@/domain/gaps';
import { historyInputs, type HistorySpec } from '@/domain/history';
import type { ModelEntry } from '@/domain/manifest';
import { MAX_ERRORS_SENT, type BatchRowError, type FleetProgress, type FleetSummary, type FromWorker, type KeepMode } from '@/inference/protocol';
import { withWorkspaceLock } from '@/storage/fleet-workspace-store';
import type { Engine } from './engine';
import { streamFile } from './file-rows';
import { appendBase, keepRanking, knownRanking, saveKept, type Base } from './fleet-keep';
import { scorePositions } from './fleet-score';
import { giveBackRoom, takeRoom } from './log-room';
import type { Scorer } from './scorers';
import { RejectedSent, throttledPoster } from './worker-job';

export interface FleetOptions {
  id: number;
  post: (msg: FromWorker, transfer?: Transferable[]) => void;
  signal: AbortSignal;
  helpers?: readonly Scorer[];
  /** Keep the log in this browser's workspace (a new one, or appended to the kept one). */
  keep?: KeepMode;
}

/** What the worker keeps of a scored log, for the page's questions and downloads. */
export interface FleetData {
  fleet: ScoredFleet;
  model: ModelEntry;
  columns: { entity: string; date: string; label: string | null };
  /** The scored log as kept (for the workspace export). */
  log: KeptLog;
  inputs: readonly string[];
}

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
export class FleetReporter {
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

/** A read that ended without a log, posted to the page: refused (not a log), or stopped (cancelled, failed). */
function postUnread(read: Exclude<ReadLog, { kind: 'log' }>, id: number, post: FleetOptions['post'], rep: FleetReporter): null {
  if (read.kind === 'refused') {
    post({ type: 'fleet-refused', id, message: read.message, missing: read.missing });
    return null;
  }
  const r = read.result;
  rep.send(true);
  post({
    type: 'fleet-done',
    id,
    status: r.status === 'aborted' ? 'cancelled' : 'failed',
    message: r.status === 'failed' ? r.message : null,
    summary: null,
  });
  return null;
}

/** Read the file into a FleetLog (columns, not rows), reporting progress and rejected rows. */
async function readLog(
  file: Blob,
  domain: DomainSpec,
  spec: HistorySpec,
  inputs: string[],
  signal: AbortSignal,
  rep: FleetReporter,
): Promise<ReadLog> {
  let log: FleetLog | null = null;
  let cols: LogColumns | null = null;
  let labelName: string | null = null;
  let check: ReturnType<typeof logRowCheck> = () => null;
  let result: StreamResult;
  try {
    result = await streamFile(file, domain, {
      featureOrder: inputs,
      float64: true,
      signal,
      extraCheck: (cells, line) => check(cells, line),
      onHeader: (columns, _reading, types) => {
        const found = findLogColumns(columns, spec);
        if ('missing' in found) throw new NotALog(found.message, found.missing);
        const wrongType = types ? typeProblems(logColumnKinds(found), types) : null;
        if (wrongType) throw new NotALog(wrongType, []);
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

/** The file as the workspace lists it: what was read, added, replaced, rejected and set aside. */
function appendedFile(file: Blob, result: Extract<StreamResult, { status: 'done' }>, merged: MergeResult, setAside: number): AppendedFile {
  return {
    name: file instanceof File ? file.name : 'log',
    bytes: file.size,
    at: new Date().toISOString(),
    rowsRead: result.rowsRead,
    added: merged.added,
    replaced: merged.replaced.length,
    rejected: result.rowsRejected,
    setAside,
  };
}

/**
 * The file merged into what is kept: into the room made for an append to the kept log when it
 * holds the merged log (log-room.ts). `notKept` gives that room back for an append that is not
 * kept (cancelled, or its scoring failed): the kept log is as it was, and so is its room.
 */
function mergeWithRoom(base: Extract<Base, { ok: true }>, fileLog: Parameters<typeof mergeLog>[1], nIn: number) {
  let taken: LogRoom | undefined;
  const room = base.meta ? (readings: number) => (taken = takeRoom(readings, nIn)) : undefined;
  const merged = mergeLog(base.log, fileLog, nIn, base.meta?.files.length ?? 0, room);
  const notKept = () => {
    if (taken) giveBackRoom(taken, nIn);
  };
  return { merged, notKept };
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
  if (read.kind !== 'log') return postUnread(read, id, post, rep);
  const parseMs = performance.now() - t0;
  const incoming = read.log!.assemble();
  const fileLog = {
    fleet: incoming,
    day: read.log!.day.view(),
    label: read.log!.label.view(),
    line: read.log!.line.view(),
    values: read.log!.values.view(),
  };
  const columns = { entity: read.cols.entityName, date: read.cols.dateName, label: read.labelName };
  const keep = opts.keep ?? 'none';
  const work = async () => {
    // A full load is an append to an empty log: one algorithm (domain/fleet-workspace.ts).
    const tk = performance.now();
    const base = await appendBase(domain.id, model, inputs, keep);
    if (!base.ok) {
      post({ type: 'fleet-refused', id, message: base.message, missing: [] });
      return null;
    }
    const { merged, notKept } = mergeWithRoom(base, fileLog, inputs.length);
    const keptMs = performance.now() - tk;
    const dirty = base.rescoreAll ? Int32Array.from(merged.log.day, (_, i) => i) : merged.dirty;
    rep.progress.stage = 'scoring';
    rep.send(true);
    const tf = performance.now();
    const times = await scorePositions(engine, model, spec, inputs, merged.log, dirty, {
      signal: opts.signal,
      helpers: opts.helpers,
      onScored: (done) => {
        rep.progress.rowsScored = done;
        rep.send(false);
      },
    }).catch((e: unknown) => {
      notKept();
      throw e;
    });
    if (opts.signal.aborted) {
      notKept();
      post({ type: 'fleet-done', id, status: 'cancelled', message: null, summary: null });
      return null;
    }
    const scoringMs = performance.now() - tf;
    const { result } = read;
    const record = appendedFile(file, result, merged, incoming.duplicates.length);
    const changed = base.rescoreAll ? null : dirty;
    const ts = performance.now();
    const workspace = keep === 'none' ? null : await saveKept(domain.id, model, inputs, merged.log, base.meta, record, columns, base.note, changed);
    const storeMs = performance.now() - ts;
    return finish(merged.log, {
      rowsRead: result.rowsRead,
      rowsRejected: result.rowsRejected,
      rowsKept: incoming.order.length,
      duplicates: incoming.duplicates,
      columns: base.meta ? { entity: base.meta.columns.entity, date: base.meta.columns.date, label: base.meta.labelColumn } : columns,
      merge: { added: merged.added, replaced: merged.replaced.length, replacedList: merged.replaced.slice(0, MAX_ERRORS_SENT), scored: dirty.length },
      workspace,
      timings: { parseMs, scoringMs, ...times, keptMs, storeMs },
      after: { base: base.log, moved: merged.moved, dirty },
    });
  };
  const finish = (log: KeptLog, s: FinishInput) => finishFleet(model, spec, inputs, log, s, { id, post, t0, rep });
  return keep === 'none' ? work() : withWorkspaceLock(domain.id, work);
}

export interface FinishInput {
  rowsRead: number;
  rowsRejected: number;
  rowsKept: number;
  duplicates: Fleet['duplicates'];
  columns: FleetSummary['columns'];
  merge: FleetSummary['merge'];
  workspace: FleetSummary['workspace'];
  timings: Omit<FleetSummary['timings'], 'totalMs' | 'rankMs'>;
  /** An append: the log it merged into, where its readings moved, and the positions scored (the ranking starts from the base's). */
  after?: { base: KeptLog; moved: Int32Array; dirty: Int32Array };
}

/** The log's ranking: known already (ranked ahead, or before), else from the base's after an append, else none (ranked whole). */
function rankingOf(log: KeptLog, after: FinishInput['after']): DayRanking | undefined {
  const known = knownRanking(log);
  if (known) return known;
  const prev = after && knownRanking(after.base);
  return (prev && rankAfterAppend(prev, after.moved, log.day, log.p1, after.dirty)) ?? undefined;
}

/** Rank the scored log, post the summary, and keep what the page's questions need. */
export function finishFleet(
  model: ModelEntry,
  spec: HistorySpec,
  inputs: readonly string[],
  log: KeptLog,
  s: FinishInput,
  ctx: { id: number; post: FleetOptions['post']; t0: number; rep: FleetReporter },
): FleetData {
  const tr = performance.now();
  const p99 = new Map(model.features.map((f) => [f.name, f.p99]));
  const scoredFleet = new ScoredFleet(fleetColumns(log, inputs, s.duplicates), spec, model.threshold, p99, rankingOf(log, s.after));
  keepRanking(log, scoredFleet.ranking);
  const rankMs = performance.now() - tr;
  const n = log.day.length;
  ctx.rep.progress.stage = 'done';
  ctx.rep.progress.rowsScored = n;
  ctx.rep.send(true);
  let failures = 0;
  for (let i = 0; i < n; i++) if (log.label[i] === 1) failures++;
  const summary: FleetSummary = {
    rowsRead: s.rowsRead,
    rowsRejected: s.rowsRejected,
    rowsKept: s.rowsKept,
    duplicates: s.duplicates.length,
    duplicateList: s.duplicates.slice(0, MAX_ERRORS_SENT),
    devices: log.entities.length,
    days: scoredFleet.days.length,
    firstDay: scoredFleet.days[0] ?? null,
    lastDay: scoredFleet.latestDay,
    hasLabel: s.columns.label !== null,
    failures,
    columns: s.columns,
    timings: { totalMs: performance.now() - ctx.t0, ...s.timings, rankMs },
    merge: s.merge,
    workspace: s.workspace,
    gaps:
      spec.gapDays === undefined
        ? null
        : { longerThan: spec.gapDays, devices: devicesWithGap(scoredFleet.c.day, scoredFleet.c.fleet.entityStart, spec.gapDays) },
  };
  ctx.post({ type: 'fleet-done', id: ctx.id, status: 'done', message: null, summary });
  return { fleet: scoredFleet, model, columns: summary.columns, log, inputs };
}
