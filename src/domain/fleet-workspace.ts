import type { Fleet } from './fleet';
import type { FleetColumns } from './fleet-rank';
import { entityFeatures, lookbackStart, shiftSinceFirst, type HistorySpec } from './history';

/**
 * A fleet's log as kept between visits, and one operation on it: append a file. A full load is
 * an append to an empty log, so the two cannot drift apart.
 *
 * The kept log holds every kept reading by position: devices in order of first appearance, each
 * device's readings one run sorted by day (the order of fleet.ts), with its P(failure).
 * Appending merges a file's readings in. Of two readings of one device and day the appended one
 * wins (as the later line of one file does), and the kept one is counted as replaced. A
 * reading's history features look back only, so a device's readings before its earliest new day
 * keep their features and probability: only the device's readings from that day on are marked
 * for featurising and scoring. Loading the concatenated files in one go gives the same
 * positions, features and probabilities (fleet-workspace.test.ts).
 */
export interface KeptLog {
  entities: string[];
  /** Start of each device's run; entityStart[e + 1] is its end. */
  entityStart: Int32Array;
  day: Int32Array;
  /** 1 failed, 0 not, -1 no label column. */
  label: Int8Array;
  /** Line in the file the reading came from, and which file (an index into the workspace's list of files). */
  line: Int32Array;
  source: Uint16Array;
  /** nInputs per reading (historyInputs), float64 so that counters above 2^24 stay exact. */
  values: Float64Array;
  /** P(failure) of each reading; NaN until scored. */
  p1: Float32Array;
}

/** A file's readings in file order, with their assembly (fleet.ts: grouped, sorted, de-duplicated). */
export interface IncomingLog {
  fleet: Fleet;
  day: ArrayLike<number>;
  label: ArrayLike<number>;
  line: ArrayLike<number>;
  values: ArrayLike<number>;
  /** Readings read back from a kept delta carry their file and probability; a file's are new (NaN until scored). */
  source?: ArrayLike<number>;
  p1?: ArrayLike<number>;
}

export interface Replacement {
  entity: string;
  day: number;
  /** The kept reading's line and file, replaced by the appended reading's line. */
  keptLine: number;
  keptSource: number;
  line: number;
}

export interface MergeResult {
  log: KeptLog;
  /** Positions whose features and probability must be computed (ascending). */
  dirty: Int32Array;
  /** Readings of the file that are new (not replacing a kept one). */
  added: number;
  replaced: Replacement[];
  /** Devices with at least one reading from the file (indices into log.entities). */
  touched: Int32Array;
  /** Per kept reading: its position in the merged log, -1 when replaced (an append ranks from the kept ranking: day-ranking.ts). */
  moved: Int32Array;
}

/**
 * Columns a merge may write its log into, instead of allocating new ones (the worker makes them
 * ahead, while idle: inference/worker/log-room.ts). Used when they hold the whole merged log; the
 * merged log's columns are then views of them, so the caller hands them over for good.
 */
export type LogRoom = Pick<KeptLog, 'day' | 'label' | 'line' | 'source' | 'values' | 'p1'>;

export function emptyLog(): KeptLog {
  return {
    entities: [],
    entityStart: new Int32Array(1),
    day: new Int32Array(0),
    label: new Int8Array(0),
    line: new Int32Array(0),
    source: new Uint16Array(0),
    values: new Float64Array(0),
    p1: new Float32Array(0),
  };
}

/**
 * The devices of the kept log and a file together: the file's devices numbered after the kept
 * ones in order of first appearance, as a load of the concatenated files would number them.
 * `incomingOf[e]`: device e's index in the file, -1 when the file has none of its readings.
 */
function numberEntities(kept: readonly string[], incoming: readonly string[]) {
  const ids = new Map(kept.map((e, i) => [e, i]));
  const entities = [...kept];
  const incomingOf = new Int32Array(kept.length + incoming.length).fill(-1);
  for (let f = 0; f < incoming.length; f++) {
    const name = incoming[f]!;
    let e = ids.get(name);
    if (e === undefined) ids.set(name, (e = entities.push(name) - 1));
    incomingOf[e] = f;
  }
  return { entities, incomingOf };
}

/**
 * A typed array cut to its first n items; with none to cut (a first load), the array itself. A
 * copy, so that the memory cut off is freed, unless `view`: a view of the same memory (a room).
 */
function fit<T extends Int32Array | Int8Array | Uint16Array | Float64Array | Float32Array>(a: T, n: number, view = false): T {
  if (a.length === n) return a;
  return (view ? a.subarray(0, n) : a.slice(0, n)) as T;
}

/** The merged log's columns, written reading by reading in log order; `k` readings so far. */
class LogWriter {
  k = 0;
  readonly day: Int32Array;
  readonly label: Int8Array;
  readonly line: Int32Array;
  readonly source: Uint16Array;
  readonly values: Float64Array;
  readonly p1: Float32Array;
  /** Per kept reading: its position in the merged log, -1 when replaced. */
  readonly moved: Int32Array;
  /** Written into a LogRoom. */
  private readonly inRoom: boolean;

  constructor(
    cap: number,
    private readonly nIn: number,
    kept: number,
    room?: LogRoom,
  ) {
    this.moved = new Int32Array(kept).fill(-1);
    // Every reading [0, k) of every column is written, so what the room held before does not matter.
    const fits = room !== undefined && room.day.length >= cap && room.values.length >= cap * nIn;
    this.inRoom = fits;
    this.day = fits ? room.day.subarray(0, cap) : new Int32Array(cap);
    this.label = fits ? room.label.subarray(0, cap) : new Int8Array(cap);
    this.line = fits ? room.line.subarray(0, cap) : new Int32Array(cap);
    this.source = fits ? room.source.subarray(0, cap) : new Uint16Array(cap);
    this.values = fits ? room.values.subarray(0, cap * nIn) : new Float64Array(cap * nIn);
    this.p1 = fits ? room.p1.subarray(0, cap) : new Float32Array(cap);
  }

  /** Kept readings [q, qEnd), copied column by column (a device's run, not reading by reading). */
  fromKept(kept: KeptLog, q: number, qEnd: number): void {
    const { k, nIn } = this;
    this.day.set(kept.day.subarray(q, qEnd), k);
    this.label.set(kept.label.subarray(q, qEnd), k);
    this.line.set(kept.line.subarray(q, qEnd), k);
    this.source.set(kept.source.subarray(q, qEnd), k);
    this.values.set(kept.values.subarray(q * nIn, qEnd * nIn), k * nIn);
    this.p1.set(kept.p1.subarray(q, qEnd), k);
    for (let p = q; p < qEnd; p++) this.moved[p] = k + p - q;
    this.k += qEnd - q;
  }

  fromFile(incoming: IncomingLog, i: number, source: number): void {
    const { k, nIn } = this;
    this.day[k] = incoming.day[i]!;
    this.label[k] = incoming.label[i]!;
    this.line[k] = incoming.line[i]!;
    this.source[k] = incoming.source ? incoming.source[i]! : source;
    for (let j = 0; j < nIn; j++) this.values[k * nIn + j] = incoming.values[i * nIn + j]!;
    this.p1[k] = incoming.p1 ? incoming.p1[i]! : NaN;
    this.k++;
  }

  /** The log written (replaced readings left room at the end). */
  log(entities: string[], entityStart: Int32Array): KeptLog {
    const { k, inRoom: v } = this;
    const [day, label, line, source, p1] = [
      fit(this.day, k, v),
      fit(this.label, k, v),
      fit(this.line, k, v),
      fit(this.source, k, v),
      fit(this.p1, k, v),
    ];
    return { entities, entityStart, day, label, line, source, values: fit(this.values, k * this.nIn, v), p1 };
  }
}

/** What an append changed: the positions to featurise and score, the new and the replaced readings. */
class Changes {
  readonly dirty: Int32Array;
  nDirty = 0;
  added = 0;
  readonly replaced: Replacement[] = [];
  readonly touched: number[] = [];

  constructor(cap: number) {
    this.dirty = new Int32Array(cap);
  }
}

/**
 * One device's kept run [q, qEnd) and its run in the file (fleet.entityStart[f]..), both sorted
 * by day, merged into `out`; on one day the file's reading wins. Its readings from the file's
 * earliest day on are dirty: their look-back features change.
 */
function mergeRuns(
  out: LogWriter,
  ch: Changes,
  kept: KeptLog,
  q: number,
  qEnd: number,
  incoming: IncomingLog,
  f: number,
  entity: string,
  source: number,
) {
  const { fleet } = incoming;
  let r = fleet.entityStart[f]!;
  const rEnd = fleet.entityStart[f + 1]!;
  const firstNew = incoming.day[fleet.order[r]!]!;
  while (q < qEnd || r < rEnd) {
    const i = r < rEnd ? fleet.order[r]! : -1;
    const dNew = i >= 0 ? incoming.day[i]! : Infinity;
    const dKept = q < qEnd ? kept.day[q]! : Infinity;
    if (dKept < dNew) {
      // The kept readings before the next appended one, in one copy.
      let qTo = q + 1;
      while (qTo < qEnd && kept.day[qTo]! < dNew) qTo++;
      for (let p = q; p < qTo; p++) if (kept.day[p]! >= firstNew) ch.dirty[ch.nDirty++] = out.k + p - q;
      out.fromKept(kept, q, qTo);
      q = qTo;
      continue;
    }
    if (dKept === dNew) {
      ch.replaced.push({ entity, day: dKept, keptLine: kept.line[q]!, keptSource: kept.source[q]!, line: incoming.line[i]! });
      q++;
    } else ch.added++;
    ch.dirty[ch.nDirty++] = out.k;
    out.fromFile(incoming, i, source);
    r++;
  }
}

/**
 * Merge a file (`source`: its index in the workspace's file list) into the kept log; into the
 * columns `room` gives for the merge's size, when they hold the merged log (LogRoom).
 */
export function mergeLog(
  kept: KeptLog,
  incoming: IncomingLog,
  nIn: number,
  source: number,
  room?: (readings: number) => LogRoom | undefined,
): MergeResult {
  const { entities, incomingOf } = numberEntities(kept.entities, incoming.fleet.entities);
  const nE = entities.length;
  const nKept = kept.entities.length;
  const cap = kept.day.length + incoming.fleet.order.length;
  const out = new LogWriter(cap, nIn, kept.day.length, room?.(cap));
  const ch = new Changes(cap);
  const entityStart = new Int32Array(nE + 1);
  for (let e = 0; e < nE; e++) {
    entityStart[e] = out.k;
    const q = e < nKept ? kept.entityStart[e]! : 0;
    const qEnd = e < nKept ? kept.entityStart[e + 1]! : 0;
    const f = incomingOf[e]!;
    if (f < 0) {
      out.fromKept(kept, q, qEnd);
      continue;
    }
    ch.touched.push(e);
    mergeRuns(out, ch, kept, q, qEnd, incoming, f, entities[e]!, source);
  }
  entityStart[nE] = out.k;
  return {
    log: out.log(entities, entityStart),
    dirty: fit(ch.dirty, ch.nDirty),
    added: ch.added,
    replaced: ch.replaced,
    touched: Int32Array.from(ch.touched),
    moved: out.moved,
  };
}

/**
 * The model's input rows for the given positions (ascending), computed per device over its
 * whole run with the one feature code (history.ts). `featureIndex[j]`: the history feature
 * that is the model's input j.
 */
export function featureRows(
  spec: HistorySpec,
  inputs: readonly string[],
  log: HistoryColumns,
  positions: Int32Array,
  featureIndex: readonly number[],
): Float32Array {
  const nIn = inputs.length;
  const nF = spec.features.length;
  const nM = featureIndex.length;
  const out = new Float32Array(positions.length * nM);
  let e = 0;
  for (let r = 0; r < positions.length;) {
    const pos = positions[r]!;
    while (log.entityStart[e + 1]! <= pos) e++;
    const s = log.entityStart[e]!;
    let last = r;
    while (last + 1 < positions.length && positions[last + 1]! < log.entityStart[e + 1]!) last++;
    const end = positions[last]! + 1;
    // Windows look back only: an appended day costs its windows, not the device's whole history,
    // and only the rows from the first wanted one on are written.
    const { start, shift } = lookbackStart(spec, log.day, s, pos);
    const feats = new Float64Array((end - pos) * nF);
    entityFeatures(spec, inputs, log.day.subarray(start, end), log.values.subarray(start * nIn, end * nIn), feats, 0, pos - start);
    shiftSinceFirst(spec, feats, shift);
    for (; r <= last; r++) {
      const row = positions[r]! - pos;
      for (let j = 0; j < nM; j++) out[r * nM + j] = feats[row * nF + featureIndex[j]!]!;
    }
  }
  return out;
}

/** What featureRows reads of a log: each device's run, its days and its inputs. */
export type HistoryColumns = Pick<KeptLog, 'entityStart' | 'day' | 'values'>;

/**
 * What the features of `positions` (ascending) read of a log, copied, with positions relative to
 * it: of each device with a wanted reading, its readings from the look-back start of the first
 * wanted one (lookbackStart) to the last, and its first reading (days_since_first counts from
 * it). Another worker computes the same rows from this alone (fleet-workspace.test.ts), and a
 * day appended to a long log sends each device's windows, not the log between its devices.
 */
export function historyChunk(
  log: HistoryColumns,
  nInputs: number,
  positions: Int32Array,
  spec: HistorySpec,
): { log: HistoryColumns; positions: Int32Array } {
  // Per device with a wanted reading: the run copied, [from, to), and whether its first reading goes before it.
  const runs: number[] = [];
  let rows = 0;
  let e = 0;
  for (let r = 0; r < positions.length;) {
    const pos = positions[r]!;
    while (log.entityStart[e + 1]! <= pos) e++;
    const s = log.entityStart[e]!;
    while (r < positions.length && positions[r]! < log.entityStart[e + 1]!) r++;
    const { start } = lookbackStart(spec, log.day, s, pos);
    const first = start > s ? 1 : 0;
    runs.push(start, positions[r - 1]! + 1, first, s);
    rows += first + positions[r - 1]! + 1 - start;
  }
  const entityStart = new Int32Array(runs.length / 4 + 1);
  const day = new Int32Array(rows);
  const values = new Float64Array(rows * nInputs);
  const out = new Int32Array(positions.length);
  let k = 0;
  let p = 0;
  for (let i = 0; i < runs.length; i += 4) {
    const [from, to, first, s] = [runs[i]!, runs[i + 1]!, runs[i + 2]!, runs[i + 3]!];
    entityStart[i / 4] = k;
    if (first) {
      day[k] = log.day[s]!;
      values.set(log.values.subarray(s * nInputs, (s + 1) * nInputs), k * nInputs);
      k++;
    }
    day.set(log.day.subarray(from, to), k);
    values.set(log.values.subarray(from * nInputs, to * nInputs), k * nInputs);
    for (; p < positions.length && positions[p]! < to; p++) out[p] = positions[p]! - from + k;
    k += to - from;
  }
  entityStart[runs.length / 4] = k;
  return { log: { entityStart, day, values }, positions: out };
}

/** The kept log as the ranking reads it (fleet-rank.ts). `duplicates`: readings set aside, for the summary. */
export function fleetColumns(log: KeptLog, inputs: readonly string[], duplicates: Fleet['duplicates'] = []): FleetColumns {
  const n = log.day.length;
  const entity = new Int32Array(n);
  for (let e = 0; e < log.entities.length; e++) entity.fill(e, log.entityStart[e]!, log.entityStart[e + 1]!);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return {
    fleet: { order, entityStart: log.entityStart, entities: log.entities, duplicates },
    day: log.day,
    p1: log.p1,
    label: log.label,
    line: log.line,
    entity,
    values: log.values,
    inputs,
  };
}
