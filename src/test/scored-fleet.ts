// Test-only: a scored fleet from readings with their probabilities given (the ranking and the
// rules on top of it are what is tested, not the model).
import { assembleFleet } from '@/domain/fleet';
import { ScoredFleet, type FleetColumns } from '@/domain/fleet-rank';
import type { HistorySpec } from '@/domain/history';

export interface Reading {
  entity: string;
  day: number;
  p: number;
  /** The one input x (0 when absent). */
  x?: number;
  /** The label (no label column when no reading has one). */
  y?: number;
}

/** Readings in file order -> a scored fleet. */
export function scoredFleet(spec: HistorySpec, rs: Reading[], threshold = 0.5, p99 = new Map<string, number>()): ScoredFleet {
  const fleet = assembleFleet(rs.map((r, i) => ({ entity: r.entity, day: r.day, line: i + 2 })));
  const n = fleet.order.length;
  const c: FleetColumns = {
    fleet,
    day: new Int32Array(n),
    p1: new Float32Array(n),
    label: new Int8Array(n).fill(rs.some((r) => r.y !== undefined) ? 0 : -1),
    line: new Int32Array(n),
    entity: new Int32Array(n),
    values: new Float64Array(n),
    inputs: ['x'],
  };
  for (let e = 0; e < fleet.entities.length; e++) c.entity.fill(e, fleet.entityStart[e]!, fleet.entityStart[e + 1]!);
  fleet.order.forEach((i, pos) => {
    const r = rs[i]!;
    c.day[pos] = r.day;
    c.p1[pos] = r.p;
    c.line[pos] = i + 2;
    c.values[pos] = r.x ?? 0;
    if (r.y !== undefined) c.label[pos] = r.y;
  });
  return new ScoredFleet(c, spec, threshold, p99);
}
