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
  const ids = new Map<string, number>();
  const names: string[] = [];
  const entity = new Int32Array(readings.length);
  readings.forEach((r, i) => {
    let e = ids.get(r.entity);
    if (e === undefined) ids.set(r.entity, (e = names.push(r.entity) - 1));
    entity[i] = e;
  });
  return assembleFleetArrays(
    names,
    entity,
    Float64Array.from(readings, (r) => r.day),
    Int32Array.from(readings, (r) => r.line),
  );
}

/**
 * The same assembly on columns (a million readings as objects would cost the worker far more):
 * reading i belongs to entity `entity[i]` (an index into `names`, numbered by first appearance),
 * on `day[i]`, from file line `line[i]`. Readings must be given in file order.
 */
export function assembleFleetArrays(names: readonly string[], entity: ArrayLike<number>, day: ArrayLike<number>, line: ArrayLike<number>): Fleet {
  const n = entity.length;
  const nE = names.length;
  // Counting sort by entity keeps file order within each entity.
  const start = new Int32Array(nE + 1);
  for (let i = 0; i < n; i++) start[entity[i]! + 1]!++;
  for (let e = 0; e < nE; e++) start[e + 1]! += start[e]!;
  const byEntity = new Int32Array(n);
  const fill = start.slice(0, nE);
  for (let i = 0; i < n; i++) byEntity[fill[entity[i]!]!++] = i;

  const order = new Int32Array(n);
  const entityStart = new Int32Array(nE + 1);
  const duplicates: Fleet['duplicates'] = [];
  let k = 0;
  for (let e = 0; e < nE; e++) {
    entityStart[e] = k;
    const s = start[e]!;
    const end = start[e + 1]!;
    let sorted = true;
    for (let j = s + 1; j < end && sorted; j++) sorted = day[byEntity[j]!]! >= day[byEntity[j - 1]!]!;
    if (!sorted) {
      // Stable by day: within a day, file order, so the last one is the one kept.
      const run = Array.from(byEntity.subarray(s, end)).sort((a, b) => day[a]! - day[b]! || a - b);
      byEntity.set(run, s);
    }
    for (let j = s; j < end; j++) {
      const i = byEntity[j]!;
      if (j + 1 < end && day[byEntity[j + 1]!] === day[i]) {
        // Set aside; the kept line is the last of its day (a chain of three names the last).
        let last = j + 1;
        while (last + 1 < end && day[byEntity[last + 1]!] === day[i]) last++;
        duplicates.push({ line: line[i]!, keptLine: line[byEntity[last]!]!, entity: names[e]!, day: day[i]! });
        continue;
      }
      order[k++] = i;
    }
  }
  entityStart[nE] = k;
  return { order: order.slice(0, k), entityStart, entities: [...names], duplicates };
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
