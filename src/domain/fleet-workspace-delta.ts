import { assembleFleetArrays } from './fleet';
import { mergeLog, type KeptLog } from './fleet-workspace';
import { readingsProblem, type ReadResult } from './fleet-workspace-record';

/**
 * An append kept as a delta: the readings an append changed (the new and replaced ones, and
 * the later readings of their devices, rescored), with their probabilities. The kept workspace
 * is a base log and the deltas written after it, in order; reading it back merges them in, later
 * wins, by the one merge of fleet-workspace.ts. So a day appended to a million kept readings
 * writes that day, not the million again (fleet-workspace.test.ts: the same log, bit for bit).
 */
export type KeptDelta = Omit<KeptLog, 'entityStart'> & {
  /** Per reading, its device: an index into `entities` (the delta's devices, in log order). */
  entity: Int32Array;
};

/** The readings of `log` at `positions` (ascending), as a delta. */
export function deltaOf(log: KeptLog, positions: Int32Array, nIn: number): KeptDelta {
  const n = positions.length;
  const d: KeptDelta = {
    entities: [],
    entity: new Int32Array(n),
    day: new Int32Array(n),
    label: new Int8Array(n),
    line: new Int32Array(n),
    source: new Uint16Array(n),
    values: new Float64Array(n * nIn),
    p1: new Float32Array(n),
  };
  let e = 0;
  for (let r = 0; r < n; r++) {
    const pos = positions[r]!;
    const before = e;
    while (log.entityStart[e + 1]! <= pos) e++;
    if (r === 0 || e !== before) d.entities.push(log.entities[e]!);
    d.entity[r] = d.entities.length - 1;
    d.day[r] = log.day[pos]!;
    d.label[r] = log.label[pos]!;
    d.line[r] = log.line[pos]!;
    d.source[r] = log.source[pos]!;
    d.values.set(log.values.subarray(pos * nIn, (pos + 1) * nIn), r * nIn);
    d.p1[r] = log.p1[pos]!;
  }
  return d;
}

/** The base log with the deltas merged in, in order (a reading of a later delta replaces the earlier one of its device and day). */
export function applyDeltas(base: KeptLog, deltas: readonly KeptDelta[], nIn: number): KeptLog {
  if (deltas.length === 0) return base;
  const n = deltas.reduce((s, d) => s + d.day.length, 0);
  const ids = new Map<string, number>();
  const names: string[] = [];
  const entity = new Int32Array(n);
  const day = new Int32Array(n);
  const label = new Int8Array(n);
  const line = new Int32Array(n);
  const source = new Uint16Array(n);
  const values = new Float64Array(n * nIn);
  const p1 = new Float32Array(n);
  let k = 0;
  for (const d of deltas) {
    const local = d.entities.map((name) => {
      let id = ids.get(name);
      if (id === undefined) ids.set(name, (id = names.push(name) - 1));
      return id;
    });
    for (let i = 0; i < d.day.length; i++) entity[k + i] = local[d.entity[i]!]!;
    day.set(d.day, k);
    label.set(d.label, k);
    line.set(d.line, k);
    source.set(d.source, k);
    values.set(d.values, k * nIn);
    p1.set(d.p1, k);
    k += d.day.length;
  }
  // Concatenated in write order, so of two readings of one device and day the later is kept.
  const fleet = assembleFleetArrays(names, entity, day, line);
  return mergeLog(base, { fleet, day, label, line, values, source, p1 }, nIn, 0).log;
}

/** A delta as read back, checked for type, length and device indices; a problem in words otherwise. */
export function readDelta(raw: unknown, nIn: number): ReadResult<KeptDelta> {
  const x = raw as Partial<Record<keyof KeptDelta, unknown>> | null;
  if (!x || typeof x !== 'object') return { ok: false, problem: 'it is missing' };
  if (!(x.entity instanceof Int32Array)) return { ok: false, problem: 'entity is not a Int32Array' };
  const problem = readingsProblem(x, nIn, '');
  if (problem) return { ok: false, problem };
  const d = x as KeptDelta;
  const n = d.day.length;
  if (d.entity.length !== n) return { ok: false, problem: `entity has ${d.entity.length} entries for ${n} readings` };
  for (let i = 0; i < n; i++)
    if (d.entity[i]! < 0 || d.entity[i]! >= d.entities.length) return { ok: false, problem: `reading ${i} names no device` };
  return { ok: true, value: d, migrated: false };
}
