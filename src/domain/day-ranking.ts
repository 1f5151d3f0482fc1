/**
 * Each day's readings ranked by P(failure): the index ScoredFleet (fleet-rank.ts) reads. Built
 * whole for a log, or, after an append, from the ranking before it: the days the append did not
 * touch keep their order (positions move, their order does not), and only the touched days are
 * sorted again (a day appended to a million readings sorts that day). Both give the same arrays
 * (fleet-workspace.test.ts, property).
 *
 * Order within a day: P descending, ties by position (= by device, first seen first). A reading's
 * rank is the number of that day's readings (itself included) with P >= its own.
 */
import { ONE_BITS, sortKeys30 } from './radix';

export interface DayRanking {
  /** Per position: rank among the readings of its day (1-based, ties count against it). */
  rank: Int32Array;
  /** Distinct days, ascending, and each day's positions in rank order (dayStart[d]..dayStart[d+1]). */
  days: Int32Array;
  dayStart: Int32Array;
  byDay: Int32Array;
}

/**
 * Positions ordered by P descending, ties in position order (NaN, unscored, sorts as 1): a radix
 * sort (radix.ts) on the bits of 1 - P. P is a float32 in [0, 1], so its bits order like its value;
 * no comparator sort.
 */
export function byDescendingP(p1: Float32Array): Int32Array {
  const n = p1.length;
  const bits = new Uint32Array(Float32Array.from(p1).buffer);
  const key = new Uint32Array(n);
  for (let i = 0; i < n; i++) key[i] = Math.max(0, ONE_BITS - bits[i]!);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  sortKeys30(key, idx);
  return idx;
}

/** Ranks of one day's run (positions in rank order): a run of equal P all get the rank of its last member. */
function rankRun(run: Int32Array, p: Float32Array, rank: Int32Array): void {
  for (let r = run.length - 1, tie = run.length; r >= 0; r--) {
    if (r < run.length - 1 && p[run[r]!] !== p[run[r + 1]!]) tie = r + 1;
    rank[run[r]!] = tie;
  }
}

/** The ranking of a whole log: every reading sorted by P (radix), then a stable counting sort by day. */
export function rankDays(day: Int32Array, p1: Float32Array): DayRanking {
  const n = day.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    if (day[i]! < lo) lo = day[i]!;
    if (day[i]! > hi) hi = day[i]!;
  }
  const order = byDescendingP(p1);
  const span = n === 0 ? 0 : hi - lo + 1;
  const count = new Int32Array(span + 1);
  for (let i = 0; i < n; i++) count[day[i]! - lo + 1]!++;
  for (let d = 0; d < span; d++) count[d + 1]! += count[d]!;
  const byDay = new Int32Array(n);
  const fill = count.slice(0, span);
  for (let j = 0; j < n; j++) {
    const i = order[j]!;
    byDay[fill[day[i]! - lo]!++] = i;
  }
  const days: number[] = [];
  const starts: number[] = [];
  for (let d = 0; d < span; d++) {
    if (count[d + 1]! > count[d]!) {
      days.push(lo + d);
      starts.push(count[d]!);
    }
  }
  starts.push(n);
  const rank = new Int32Array(n);
  for (let d = 0; d < days.length; d++) rankRun(byDay.subarray(starts[d]!, starts[d + 1]!), p1, rank);
  return { rank, days: Int32Array.from(days), dayStart: Int32Array.from(starts), byDay };
}

/**
 * The ranking after an append, from the one before: `moved[q]` is the new position of the old
 * reading q (-1: replaced), `dirty` the new positions whose P is new (ascending). A day with no
 * dirty reading keeps its order, its positions moved; a touched day is sorted again. Null when
 * the append touched so much that ranking the whole log is as quick.
 */
export function rankAfterAppend(prev: DayRanking, moved: Int32Array, day: Int32Array, p1: Float32Array, dirty: Int32Array): DayRanking | null {
  const n = day.length;
  if (dirty.length > n / 8) return null;
  const touched = new Set<number>();
  for (const pos of dirty) touched.add(day[pos]!);
  // Readings of a touched day: its old readings still kept and clean, and its dirty ones.
  const fresh = new Map<number, number[]>();
  for (const d of touched) fresh.set(d, []);
  for (const pos of dirty) fresh.get(day[pos]!)!.push(pos);
  const isDirty = new Uint8Array(n);
  for (const pos of dirty) isDirty[pos] = 1;
  const allDays = [...new Set([...prev.days, ...touched])].sort((a, b) => a - b);
  const byDay = new Int32Array(n);
  const rank = new Int32Array(n);
  const dayStart = new Int32Array(allDays.length + 1);
  const oldIndex = new Map<number, number>();
  prev.days.forEach((d, i) => oldIndex.set(d, i));
  // An untouched day's readings keep their ranks: read in position order (moved ascends), not
  // day by day in rank order, which reads three arrays of the log's length at random.
  const lo = allDays[0] ?? 0;
  const touchedDay = new Uint8Array(allDays.length ? allDays[allDays.length - 1]! - lo + 1 : 0);
  for (const d of touched) touchedDay[d - lo] = 1;
  for (let q = 0; q < moved.length; q++) {
    const pos = moved[q]!;
    if (pos >= 0 && touchedDay[day[pos]! - lo] === 0) rank[pos] = prev.rank[q]!;
  }
  let k = 0;
  allDays.forEach((d, i) => {
    dayStart[i] = k;
    const o = oldIndex.get(d);
    const a = o === undefined ? 0 : prev.dayStart[o]!;
    const b = o === undefined ? 0 : prev.dayStart[o + 1]!;
    const mine = fresh.get(d);
    if (!mine) {
      for (let j = a; j < b; j++) byDay[k++] = moved[prev.byDay[j]!]!;
      return;
    }
    for (let j = a; j < b; j++) {
      const pos = moved[prev.byDay[j]!]!;
      if (pos >= 0 && !isDirty[pos]) mine.push(pos);
    }
    const positions = Int32Array.from(mine).sort();
    const order = byDescendingP(Float32Array.from(positions, (pos) => p1[pos]!));
    const run = byDay.subarray(k, k + positions.length);
    for (let r = 0; r < positions.length; r++) run[r] = positions[order[r]!]!;
    rankRun(run, p1, rank);
    k += positions.length;
  });
  dayStart[allDays.length] = k;
  if (k !== n) throw new Error(`The ranking after the append holds ${k} readings of ${n}`);
  return { rank, days: Int32Array.from(allDays), dayStart, byDay };
}
