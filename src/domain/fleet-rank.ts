import { rankDays, type DayRanking } from './day-ranking';
import type { Fleet } from './fleet';
import { entityFeatures, lookbackStart, shiftSinceFirst, type HistorySpec } from './history';
import type { HoldState } from './inspections';
import { isPositive } from './model-list';

/**
 * A scored fleet, read day by day. Everything is indexed by position in `fleet.order`
 * (readings grouped by entity, sorted by day), so an entity's readings are one run.
 *
 * Ranking rules, stated once here and in the view (training/prognos_train/fleet.py counts alike):
 * - On a day, the devices with a reading that day are listed by P(failure), highest first.
 *   A reading's rank is the number of that day's readings (itself included) with P >= its own,
 *   so ties count against it; it is in the day's top K (the capacity) when its rank is <= K.
 * - A reading is flagged when P >= the model's threshold, or when it is in the day's top K and
 *   more than K devices reported that day (in a fleet no larger than K every device is in the
 *   top K, so that alone says nothing: there only the threshold flags). Its
 *   streak counts the consecutive calendar days, ending on that day, on which the device had a
 *   flagged reading (a day without a reading ends a streak).
 */

export interface FleetColumns {
  fleet: Fleet;
  /** Per position: day (days since 1970-01-01), P(class 1), label (-1 without a label column), line, entity index. */
  day: Int32Array;
  p1: Float32Array;
  label: Int8Array;
  line: Int32Array;
  entity: Int32Array;
  /** Per position: the fields the history features read, nInputs each, float64. */
  values: Float64Array;
  inputs: readonly string[];
}

export interface Mover {
  /** The history feature (a window_delta, else a diff) and the field it reads. */
  feature: string;
  field: string;
  days: number | null;
  value: number;
  /** |value| over the training p99 of that feature (1 when the training range has none). */
  ratio: number;
}

export interface RankedDevice {
  /** Rank among the day's devices that are not held back (held devices keep their rank among all). */
  rank: number;
  entity: string;
  p1: number;
  aboveThreshold: boolean;
  inTopK: boolean;
  streak: number;
  line: number;
  movers: Mover[];
  /** Held back after an inspection (out of the top K and the rank), or back early: why. */
  hold?: HoldState;
}

/** The hold-back state of a device on a day, given its index and that day's P(failure); null: not held. */
export type HoldLookup = (entity: number, p1: number) => HoldState | null;

export interface DayList {
  day: number;
  k: number;
  threshold: number;
  devices: RankedDevice[];
  /** Devices with a reading that day above the threshold (may exceed K). */
  aboveThreshold: number;
  /** Devices with a reading that day; `devices` holds the first `max` of them (all by default). */
  total: number;
  /** Devices held back that day after an inspection (listed apart, in `devices` with `hold`). */
  held: number;
  /** What "flagged" means on this day: above the threshold, or also in the top K (only when more than K devices reported). */
  flagRule: 'threshold' | 'threshold-or-top-k';
  /**
   * Devices that have stopped reporting: no reading on this day, and their latest before it more
   * than the declared gap (`gapDays`) earlier, not a failure. Empty when no gap length is declared.
   */
  silent: SilentDevice[];
}

export interface SilentDevice {
  entity: string;
  lastDay: number;
  /** Days from the last reading to the list's day. */
  daysSince: number;
}

export class ScoredFleet {
  /** Per position: rank among the readings of its day (1-based, ties count against it). */
  readonly rank: Int32Array;
  /** Distinct days, ascending, and each day's positions in rank order (dayStart[d]..dayStart[d+1]). */
  readonly days: Int32Array;
  readonly dayStart: Int32Array;
  readonly byDay: Int32Array;
  private readonly entityIds: Map<string, number>;

  constructor(
    readonly c: FleetColumns,
    readonly spec: HistorySpec,
    readonly threshold: number,
    /** Training p99 of a history feature, by name, when the manifest has it. */
    private readonly p99: ReadonlyMap<string, number> = new Map(),
    /** The days ranked already (after an append, from the ranking before it: day-ranking.ts). */
    ranking: DayRanking = rankDays(c.day, c.p1),
  ) {
    this.rank = ranking.rank;
    this.days = ranking.days;
    this.dayStart = ranking.dayStart;
    this.byDay = ranking.byDay;
    this.entityIds = new Map(c.fleet.entities.map((e, i) => [e, i]));
  }

  /** The ranking this fleet reads (an append ranks from it). */
  get ranking(): DayRanking {
    return { rank: this.rank, days: this.days, dayStart: this.dayStart, byDay: this.byDay };
  }

  get latestDay(): number | null {
    return this.days.length ? this.days[this.days.length - 1]! : null;
  }

  flagged(pos: number, k: number): boolean {
    return isPositive(this.c.p1[pos]!, this.threshold) || (this.rank[pos]! <= k && this.daySize(this.c.day[pos]!) > k);
  }

  /** How many devices have a reading on `day` (0 on a day without readings). */
  daySize(day: number): number {
    const d = this.dayIndex(day);
    return d === null || this.days[d] !== day ? 0 : this.dayStart[d + 1]! - this.dayStart[d]!;
  }

  /** Consecutive calendar days with a flagged reading, ending at `pos` (0 when it is not flagged). */
  streak(pos: number, k: number): number {
    const e = this.c.entity[pos]!;
    const first = this.c.fleet.entityStart[e]!;
    let s = 0;
    for (let q = pos; q >= first && this.flagged(q, k); q--) {
      if (q < pos && this.c.day[q]! !== this.c.day[q + 1]! - 1) break;
      s++;
    }
    return s;
  }

  entityIndex(name: string): number | null {
    return this.entityIds.get(name) ?? null;
  }

  /** The history features of the reading at `pos`, from its entity's readings up to it (windows look back only). */
  featuresAt(pos: number): Float64Array {
    const e = this.c.entity[pos]!;
    const s = this.c.fleet.entityStart[e]!;
    const nIn = this.c.inputs.length;
    // From the reading's windows only (a day's list asks this of every device).
    const { start, shift } = lookbackStart(this.spec, this.c.day, s, pos);
    const out = new Float64Array(this.spec.features.length);
    const days = this.c.day.subarray(start, pos + 1);
    entityFeatures(this.spec, this.c.inputs, days, this.c.values.subarray(start * nIn, (pos + 1) * nIn), out, 0, pos - start);
    shiftSinceFirst(this.spec, out, shift);
    return out;
  }

  /** The counters that moved most: window_delta features (else diffs) by |value| / training p99, nonzero only. */
  movers(pos: number, max = 3): Mover[] {
    const f = this.featuresAt(pos);
    const feats = this.spec.features;
    const deltas = feats.some((x) => x.op === 'window_delta') ? 'window_delta' : 'diff';
    const best = new Map<string, Mover>();
    feats.forEach((x, j) => {
      if (x.op !== deltas || x.of === undefined || f[j] === 0) return;
      const p99 = Math.abs(this.p99.get(x.name) ?? 0);
      const m: Mover = { feature: x.name, field: x.of, days: x.days ?? null, value: f[j]!, ratio: Math.abs(f[j]!) / (p99 > 0 ? p99 : 1) };
      const prev = best.get(x.of);
      // One line per counter: its largest move over the declared windows.
      if (!prev || m.ratio > prev.ratio) best.set(x.of, m);
    });
    return [...best.values()].sort((a, b) => b.ratio - a.ratio).slice(0, max);
  }

  /**
   * The ranked list of a day (the latest when `day` is null or not in the log's range). With
   * `hold`, a device held back after an inspection leaves the ranking: the others are ranked
   * among themselves (ties still count against a reading) and the top K is theirs.
   */
  dayList(day: number | null, k: number, max = Infinity, hold?: HoldLookup): DayList | null {
    const d = this.dayIndex(day);
    if (d === null) return null;
    const a = this.dayStart[d]!;
    const b = this.dayStart[d + 1]!;
    const holds = new Map<number, HoldState>();
    if (hold) {
      for (let j = a; j < b; j++) {
        const pos = this.byDay[j]!;
        const s = hold(this.c.entity[pos]!, this.c.p1[pos]!);
        if (s) holds.set(pos, s);
      }
    }
    const held = (pos: number) => holds.get(pos)?.held === true;
    // Rank among the devices not held back: a run of equal P gets the rank of its last member.
    const rank = new Map<number, number>();
    if (hold) {
      let r = 0;
      for (let j = a; j < b;) {
        const p = this.c.p1[this.byDay[j]!]!;
        let end = j;
        let free = 0;
        while (end < b && this.c.p1[this.byDay[end]!] === p) if (!held(this.byDay[end++]!)) free++;
        r += free;
        for (let q = j; q < end; q++) rank.set(this.byDay[q]!, r);
        j = end;
      }
    }
    const devices: RankedDevice[] = [];
    let above = 0;
    for (let j = a; j < b; j++) {
      const pos = this.byDay[j]!;
      const p1 = this.c.p1[pos]!;
      const aboveThreshold = isPositive(p1, this.threshold);
      if (aboveThreshold) above++;
      if (devices.length >= max) continue;
      const s = holds.get(pos);
      const rk = rank.get(pos) ?? this.rank[pos]!;
      devices.push({
        rank: rk,
        entity: this.c.fleet.entities[this.c.entity[pos]!]!,
        p1,
        aboveThreshold,
        inTopK: !held(pos) && rk <= k,
        streak: this.streak(pos, k),
        line: this.c.line[pos]!,
        movers: this.movers(pos),
        ...(s ? { hold: s } : {}),
      });
    }
    let heldCount = 0;
    for (const s of holds.values()) if (s.held) heldCount++;
    return {
      day: this.days[d]!,
      k,
      threshold: this.threshold,
      devices,
      aboveThreshold: above,
      total: b - a,
      held: heldCount,
      flagRule: b - a > k ? 'threshold-or-top-k' : 'threshold',
      silent: this.silent(this.days[d]!),
    };
  }

  /** P(failure) of a device's latest reading on or before `day`, or null when it has none. */
  pOnOrBefore(entity: number, day: number): number | null {
    const pos = this.lastOnOrBefore(entity, day);
    return pos === null ? null : this.c.p1[pos]!;
  }

  /** Devices silent on `day` for more than the declared gap, longest silent first (see DayList.silent). */
  silent(day: number): SilentDevice[] {
    const gap = this.spec.gapDays;
    if (gap === undefined) return [];
    const out: SilentDevice[] = [];
    for (let e = 0; e < this.c.fleet.entities.length; e++) {
      const pos = this.lastOnOrBefore(e, day);
      if (pos === null || this.c.label[pos] === 1) continue;
      const daysSince = day - this.c.day[pos]!;
      if (daysSince > gap) out.push({ entity: this.c.fleet.entities[e]!, lastDay: this.c.day[pos]!, daysSince });
    }
    return out.sort((x, y) => y.daysSince - x.daysSince || (x.entity < y.entity ? -1 : 1));
  }

  /** Position of a device's latest reading on or before `day`, or null when it has none. */
  private lastOnOrBefore(entity: number, day: number): number | null {
    const s = this.c.fleet.entityStart[entity]!;
    let lo = s;
    let hi = this.c.fleet.entityStart[entity + 1]! - 1;
    if (hi < lo || this.c.day[lo]! > day) return null;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.c.day[mid]! <= day) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Index into `days` of a day of the log: null (or a day without readings) gives the latest on or before it. */
  dayIndex(day: number | null): number | null {
    if (this.days.length === 0) return null;
    if (day === null) return this.days.length - 1;
    let lo = 0;
    let hi = this.days.length - 1;
    if (day < this.days[0]!) return 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.days[mid]! <= day) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
