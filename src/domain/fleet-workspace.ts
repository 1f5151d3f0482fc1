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
}

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

/** Merge a file (`source`: its index in the workspace's file list) into the kept log. */
export function mergeLog(kept: KeptLog, incoming: IncomingLog, nIn: number, source: number): MergeResult {
  const { fleet } = incoming;
  const ids = new Map(kept.entities.map((e, i) => [e, i]));
  const entities = [...kept.entities];
  // The file's devices, numbered after the kept ones in order of first appearance: as a load of
  // the concatenated files would number them.
  const incomingOf = new Int32Array(kept.entities.length + fleet.entities.length).fill(-1);
  for (let f = 0; f < fleet.entities.length; f++) {
    const name = fleet.entities[f]!;
    let e = ids.get(name);
    if (e === undefined) ids.set(name, (e = entities.push(name) - 1));
    incomingOf[e] = f;
  }
  const nE = entities.length;
  const cap = kept.day.length + fleet.order.length;
  const day = new Int32Array(cap);
  const label = new Int8Array(cap);
  const line = new Int32Array(cap);
  const src = new Uint16Array(cap);
  const values = new Float64Array(cap * nIn);
  const p1 = new Float32Array(cap);
  const entityStart = new Int32Array(nE + 1);
  const dirty = new Int32Array(cap);
  let nDirty = 0;
  const touched: number[] = [];
  const replaced: Replacement[] = [];
  let added = 0;
  let k = 0;
  const fromKept = (q: number) => {
    day[k] = kept.day[q]!;
    label[k] = kept.label[q]!;
    line[k] = kept.line[q]!;
    src[k] = kept.source[q]!;
    values.set(kept.values.subarray(q * nIn, (q + 1) * nIn), k * nIn);
    p1[k] = kept.p1[q]!;
    k++;
  };
  const fromFile = (i: number) => {
    day[k] = incoming.day[i]!;
    label[k] = incoming.label[i]!;
    line[k] = incoming.line[i]!;
    src[k] = source;
    for (let j = 0; j < nIn; j++) values[k * nIn + j] = incoming.values[i * nIn + j]!;
    p1[k] = NaN;
    k++;
  };
  for (let e = 0; e < nE; e++) {
    entityStart[e] = k;
    let q = e < kept.entities.length ? kept.entityStart[e]! : 0;
    const qEnd = e < kept.entities.length ? kept.entityStart[e + 1]! : 0;
    const f = incomingOf[e]!;
    if (f < 0) {
      while (q < qEnd) fromKept(q++);
      continue;
    }
    touched.push(e);
    let r = fleet.entityStart[f]!;
    const rEnd = fleet.entityStart[f + 1]!;
    const firstNew = incoming.day[fleet.order[r]!]!;
    // Both runs are sorted by day: merge them; on one day the file's reading wins.
    while (q < qEnd || r < rEnd) {
      const i = r < rEnd ? fleet.order[r]! : -1;
      const dNew = i >= 0 ? incoming.day[i]! : Infinity;
      const dKept = q < qEnd ? kept.day[q]! : Infinity;
      if (dKept < dNew) {
        if (dKept >= firstNew) dirty[nDirty++] = k;
        fromKept(q++);
        continue;
      }
      if (dKept === dNew) {
        replaced.push({ entity: entities[e]!, day: dKept, keptLine: kept.line[q]!, keptSource: kept.source[q]!, line: incoming.line[i]! });
        q++;
      } else added++;
      dirty[nDirty++] = k;
      fromFile(i);
      r++;
    }
  }
  entityStart[nE] = k;
  // Replaced readings leave room at the end; with none (a first load), the arrays are the log.
  const fit = <T extends Int32Array | Int8Array | Uint16Array | Float64Array | Float32Array>(a: T, n: number): T =>
    a.length === n ? a : (a.slice(0, n) as T);
  return {
    log: {
      entities,
      entityStart,
      day: fit(day, k),
      label: fit(label, k),
      line: fit(line, k),
      source: fit(src, k),
      values: fit(values, k * nIn),
      p1: fit(p1, k),
    },
    dirty: fit(dirty, nDirty),
    added,
    replaced,
    touched: Int32Array.from(touched),
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
    // Windows look back only: an appended day costs its windows, not the device's whole history.
    const { start, shift } = lookbackStart(spec, log.day, s, pos);
    const feats = new Float64Array((end - start) * nF);
    entityFeatures(spec, inputs, log.day.subarray(start, end), log.values.subarray(start * nIn, end * nIn), feats);
    shiftSinceFirst(spec, feats, shift);
    for (; r <= last; r++) {
      const row = positions[r]! - start;
      for (let j = 0; j < nM; j++) out[r * nM + j] = feats[row * nF + featureIndex[j]!]!;
    }
  }
  return out;
}

/** What featureRows reads of a log: each device's run, its days and its inputs. */
export type HistoryColumns = Pick<KeptLog, 'entityStart' | 'day' | 'values'>;

/**
 * The part of a log that the features of `positions` (ascending) read, copied, with positions
 * relative to it: from the first device's first reading to the last position. Features look
 * back within a device only, so featureRows gives the same rows on it as on the whole log
 * (fleet-workspace.test.ts); another worker can compute them from this alone.
 */
export function historyChunk(log: HistoryColumns, nInputs: number, positions: Int32Array): { log: HistoryColumns; positions: Int32Array } {
  if (positions.length === 0) return { log: { entityStart: new Int32Array(1), day: new Int32Array(0), values: new Float64Array(0) }, positions };
  const first = positions[0]!;
  const hi = positions[positions.length - 1]! + 1;
  let e0 = 0;
  while (log.entityStart[e0 + 1]! <= first) e0++;
  let e1 = e0;
  while (log.entityStart[e1 + 1]! < hi) e1++;
  const lo = log.entityStart[e0]!;
  const entityStart = new Int32Array(e1 - e0 + 2);
  for (let e = e0; e <= e1; e++) entityStart[e - e0] = log.entityStart[e]! - lo;
  entityStart[e1 - e0 + 1] = hi - lo;
  return {
    log: { entityStart, day: log.day.slice(lo, hi), values: log.values.slice(lo * nInputs, hi * nInputs) },
    positions: positions.map((p) => p - lo),
  };
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
