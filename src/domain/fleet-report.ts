import type { ScoredFleet, Mover } from './fleet-rank';
import { gapsIn, type Gap } from './gaps';
import { evaluate, type EvaluationReport } from './metrics';

/**
 * What the Fleet view shows besides a day's list: one device over time, and, with a label
 * column, how many failures the daily top K catches and how early.
 *
 * Counting, stated in the view, the same as training/prognos_train/fleet.py: every reading
 * labelled 1 is a failure, on day f. It is caught
 * - on its day when the device is in that day's top K (rank <= K, ties against it);
 * - within N days when the device is in the top K on at least one of the days f-N .. f.
 * Lead time of a failure caught within LEAD_WINDOW days: f minus the first day in
 * f-LEAD_WINDOW .. f with the device in the top K; reported as the median over those failures.
 */

export interface DeviceTimeline {
  entity: string;
  k: number;
  threshold: number;
  /** Names of `values` columns: the fields the history features read. */
  inputs: readonly string[];
  days: number[];
  p1: number[];
  rank: number[];
  flagged: boolean[];
  lines: number[];
  /** Label per reading, null without a label column. */
  label: (number | null)[];
  /** values[i][j]: input j on reading i. */
  values: number[][];
  /** The latest reading's movers. */
  movers: Mover[];
  /** Readings of this device set aside as duplicates (line, kept line, day). */
  duplicates: { line: number; keptLine: number; day: number }[];
  /** Its gaps longer than the declared gap length (`longerThan`); null when the declaration names none. */
  gaps: { longerThan: number; list: Gap[] } | null;
}

export function deviceTimeline(f: ScoredFleet, name: string, k: number): DeviceTimeline | null {
  const e = f.entityIndex(name);
  if (e === null) return null;
  const { c } = f;
  const s = c.fleet.entityStart[e]!;
  const end = c.fleet.entityStart[e + 1]!;
  const nIn = c.inputs.length;
  const t: DeviceTimeline = {
    entity: name,
    k,
    threshold: f.threshold,
    inputs: c.inputs,
    days: [],
    p1: [],
    rank: [],
    flagged: [],
    lines: [],
    label: [],
    values: [],
    movers: end > s ? f.movers(end - 1) : [],
    duplicates: c.fleet.duplicates.filter((d) => d.entity === name).map(({ line, keptLine, day }) => ({ line, keptLine, day })),
    gaps: f.spec.gapDays === undefined ? null : { longerThan: f.spec.gapDays, list: gapsIn(c.day, f.spec.gapDays, s, end) },
  };
  for (let pos = s; pos < end; pos++) {
    t.days.push(c.day[pos]!);
    t.p1.push(c.p1[pos]!);
    t.rank.push(f.rank[pos]!);
    t.flagged.push(f.flagged(pos, k));
    t.lines.push(c.line[pos]!);
    t.label.push(c.label[pos]! < 0 ? null : c.label[pos]!);
    t.values.push(Array.from(c.values.subarray(pos * nIn, (pos + 1) * nIn)));
  }
  return t;
}

/** Days on which the risk rose to the threshold or above from below it (the first reading does not count). */
export function thresholdCrossings(t: Pick<DeviceTimeline, 'days' | 'p1' | 'threshold'>): number[] {
  const out: number[] = [];
  for (let i = 1; i < t.days.length; i++) if (t.p1[i - 1]! < t.threshold && t.p1[i]! >= t.threshold) out.push(t.days[i]!);
  return out;
}

export interface FailureCatch {
  entity: string;
  day: number;
  /** Rank of the device on the failure day (1-based). */
  rankOnDay: number;
  onDay: boolean;
  /** Days N (of `windows`) -> caught within N days. */
  within: Record<number, boolean>;
  /** Null when not caught within LEAD_WINDOW days. */
  leadDays: number | null;
}

/** Days before a failure in which a top-K day counts for its lead time. */
export const LEAD_WINDOW = 30;

export interface FleetEvaluation {
  k: number;
  /** Row-level metrics on the kept readings at the model's threshold (as the batch view). */
  report: EvaluationReport;
  failures: number;
  caughtOnDay: number;
  windows: number[];
  caughtWithin: Record<number, number>;
  /** Failures with a top-K day in the LEAD_WINDOW days up to them (those with a lead time). */
  caughtWithinLead: number;
  leadDaysMedian: number | null;
  catches: FailureCatch[];
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Null without a label column. `windows`: the N of "caught within N days" (default 3 and 7). */
export function fleetEvaluation(f: ScoredFleet, k: number, windows: readonly number[] = [3, 7]): FleetEvaluation | null {
  const { c } = f;
  const n = c.label.length;
  if (n === 0 || c.label[0]! < 0) return null;
  const catches: FailureCatch[] = [];
  const top = (pos: number) => f.rank[pos]! <= k;
  for (let pos = 0; pos < n; pos++) {
    if (c.label[pos] !== 1) continue;
    const e = c.entity[pos]!;
    const first = c.fleet.entityStart[e]!;
    const fday = c.day[pos]!;
    const within: Record<number, boolean> = {};
    for (const w of windows) {
      let hit = false;
      for (let q = pos; q >= first && c.day[q]! >= fday - w && !hit; q--) hit = top(q);
      within[w] = hit;
    }
    // The earliest top-K day in f-LEAD_WINDOW .. f (readings before pos are earlier days).
    let earliest: number | null = null;
    for (let q = pos; q >= first && c.day[q]! >= fday - LEAD_WINDOW; q--) if (top(q)) earliest = c.day[q]!;
    const leadDays = earliest === null ? null : fday - earliest;
    catches.push({ entity: c.fleet.entities[e]!, day: fday, rankOnDay: f.rank[pos]!, onDay: top(pos), within, leadDays });
  }
  return {
    k,
    report: evaluate(c.label, c.p1, f.threshold),
    failures: catches.length,
    caughtOnDay: catches.filter((x) => x.onDay).length,
    windows: [...windows],
    caughtWithin: Object.fromEntries(windows.map((w) => [w, catches.filter((x) => x.within[w]).length])),
    caughtWithinLead: catches.filter((x) => x.leadDays !== null).length,
    leadDaysMedian: median(catches.flatMap((x) => (x.leadDays === null ? [] : [x.leadDays]))),
    catches,
  };
}

/** Device ids containing `text` (case-insensitive), at most `max`, exact match first. */
export function searchDevices(f: ScoredFleet, text: string, max = 20): string[] {
  const t = text.trim().toLowerCase();
  if (!t) return [];
  const names = f.c.fleet.entities;
  const exact = names.filter((x) => x.toLowerCase() === t);
  const rest = names.filter((x) => x.toLowerCase() !== t && x.toLowerCase().includes(t));
  return [...exact, ...rest].slice(0, max);
}
