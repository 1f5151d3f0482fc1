import { entityFeatures, type HistorySpec } from './history';

/**
 * A fleet's daily log, assembled for history features: readings grouped by entity and
 * sorted by day. Rule for two readings of one entity on one day: the one later in the
 * file is kept and the earlier one is set aside (listed with both line numbers), so that a
 * corrected re-export appended to a log replaces what it corrects.
 */

export interface LogReading {
  entity: string;
  day: number;
  /** 1-based line in the file, for messages. */
  line: number;
}

export interface Fleet {
  /** Indices into the readings, grouped by entity (in order of first appearance) and sorted by day. */
  order: Int32Array;
  /** Start of each entity's run in `order`; entityStart[e + 1] is its end. */
  entityStart: Int32Array;
  entities: string[];
  /** Readings set aside: another reading of the same entity and day came later in the file. */
  duplicates: { line: number; keptLine: number; entity: string; day: number }[];
}

export function assembleFleet(readings: readonly LogReading[]): Fleet {
  const byEntity = new Map<string, number[]>();
  readings.forEach((r, i) => {
    let list = byEntity.get(r.entity);
    if (!list) byEntity.set(r.entity, (list = []));
    list.push(i);
  });
  const order: number[] = [];
  const entityStart: number[] = [];
  const entities: string[] = [];
  const duplicates: Fleet['duplicates'] = [];
  for (const [entity, list] of byEntity) {
    // Stable sort by day; within a day, file order, so the last one is the one kept.
    list.sort((a, b) => readings[a]!.day - readings[b]!.day || readings[a]!.line - readings[b]!.line);
    entityStart.push(order.length);
    entities.push(entity);
    for (let k = 0; k < list.length; k++) {
      const i = list[k]!;
      const next = list[k + 1];
      if (next !== undefined && readings[next]!.day === readings[i]!.day) {
        duplicates.push({ line: readings[i]!.line, keptLine: readings[next]!.line, entity, day: readings[i]!.day });
        continue;
      }
      order.push(i);
    }
  }
  // A duplicate's kept line is the last of its day: chains of three name the last, not the middle one.
  for (const d of duplicates) {
    const list = byEntity.get(d.entity)!;
    const last = list.filter((i) => readings[i]!.day === d.day).pop()!;
    d.keptLine = readings[last]!.line;
  }
  entityStart.push(order.length);
  return { order: Int32Array.from(order), entityStart: Int32Array.from(entityStart), entities, duplicates };
}

/**
 * History features of every kept reading, in `fleet.order` order.
 * `values[i * nInputs + k]` is input k of reading i (file order).
 */
export function fleetFeatures(
  spec: HistorySpec,
  inputs: readonly string[],
  fleet: Fleet,
  days: ArrayLike<number>,
  values: ArrayLike<number>,
): Float64Array {
  const nIn = inputs.length;
  const nF = spec.features.length;
  const out = new Float64Array(fleet.order.length * nF);
  for (let e = 0; e < fleet.entities.length; e++) {
    const s = fleet.entityStart[e]!;
    const end = fleet.entityStart[e + 1]!;
    const n = end - s;
    const d = new Float64Array(n);
    const v = new Float64Array(n * nIn);
    for (let r = 0; r < n; r++) {
      const i = fleet.order[s + r]!;
      d[r] = days[i]!;
      for (let k = 0; k < nIn; k++) v[r * nIn + k] = values[i * nIn + k]!;
    }
    entityFeatures(spec, inputs, d, v, out, s);
  }
  return out;
}
