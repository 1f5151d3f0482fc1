/**
 * Features computed from a device's history (a daily log: one row per device per day).
 * Declared once, in the domain's declaration (`history` in domains/device.json), and
 * computed twice: here for the browser and in training/prognos_train/history.py for
 * training. Golden feature rows written by the pipeline prove that the two agree.
 *
 * Semantics (both languages): an entity's readings are sorted by day; for the reading on
 * day t, with previous reading p (none on the first day) and window W(d) = the entity's
 * readings on days t-d+1 .. t:
 *   value            x_t
 *   diff             x_t - x_p, 0 on the first reading
 *   window_max       max of x over W(d)
 *   window_delta     x_t - x at the earliest reading of W(d)
 *   window_increases readings r in W(d), other than the entity's first, with x_r > x at the reading before r
 *   days_since_first t - the entity's first day
 *   days_since_previous t - day of p, 0 on the first reading
 * Everything is computed in float64 from the integer counters, so both languages agree exactly.
 */

export const historyOps = ['value', 'diff', 'window_max', 'window_delta', 'window_increases', 'days_since_first', 'days_since_previous'] as const;
export type HistoryOp = (typeof historyOps)[number];

export interface HistoryFeature {
  name: string;
  op: HistoryOp;
  /** The field it reads (not for days_since_*). */
  of?: string;
  /** Window length in days, for window_* ops. */
  days?: number;
}

export interface HistorySpec {
  /** Column holding the ISO date (YYYY-MM-DD) of a reading. */
  dateColumn: string;
  /** Column naming the entity (device) a reading belongs to. */
  entityColumn: string;
  /** More days than this without a reading is a gap (src/domain/gaps.ts); none declared: gaps are not reported. */
  gapDays?: number;
  features: readonly HistoryFeature[];
}

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days in month `m` (1-12) of year `y` (proleptic Gregorian). */
function monthDays(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** The number written by `n` ASCII digits of `t` from `at`, or -1 when one is not a digit. */
function digits(t: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = t.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

let lastText: string | null = null;
let lastDay: number | null = null;

/**
 * Days since 1970-01-01 of a real calendar date written YYYY-MM-DD, or null (never guessed).
 * Read character by character, with no Date object: a log reads one per row, and consecutive
 * rows of a log mostly share their date (the last answer is kept). Years before 100 are refused,
 * as Date.UTC would read them as 19xx (history.test.ts checks it against that definition).
 */
export function parseIsoDay(text: string): number | null {
  if (text === lastText) return lastDay;
  const t = text.length === 10 ? text : text.trim();
  let day: number | null = null;
  if (t.length === 10 && t.charCodeAt(4) === 45 && t.charCodeAt(7) === 45) {
    const y = digits(t, 0, 4);
    const m = digits(t, 5, 2);
    const d = digits(t, 8, 2);
    if (y >= 100 && m >= 1 && m <= 12 && d >= 1 && d <= monthDays(y, m)) day = civilDay(y, m, d);
  }
  lastText = text;
  lastDay = day;
  return day;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (year >= 1), by the days-from-civil algorithm. */
function civilDay(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export function formatIsoDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Why a date cell was refused, in words. */
export function dateProblem(text: string): string {
  const t = text.trim();
  if (t === '') return 'the date is empty (expected YYYY-MM-DD)';
  if (!ISO_DATE.test(t)) return `"${t.slice(0, 40)}" is not an ISO date (expected YYYY-MM-DD, e.g. 2015-01-31)`;
  return `"${t}" is not a real calendar date`;
}

/** The fields the history features read, in first-use order. */
export function historyInputs(spec: HistorySpec): string[] {
  const out: string[] = [];
  for (const f of spec.features) if (f.of !== undefined && !out.includes(f.of)) out.push(f.of);
  return out;
}

/** The ops as small integers, in the order of `historyOps` (a plan switches on numbers, not strings). */
const OP = Object.fromEntries(historyOps.map((op, i) => [op, i])) as Record<HistoryOp, number>;

/**
 * A spec's features compiled once for its inputs: each feature's op, input and window (an index
 * into the distinct window lengths), and the inputs whose increases are counted. entityFeatures
 * runs once per device, thousands of times a load: it reads this instead of the declaration.
 */
interface Plan {
  op: Uint8Array;
  input: Int32Array;
  window: Int32Array;
  /** The distinct window lengths, in days. */
  windowDays: number[];
  /** Per input: whether a window_increases feature reads it. */
  countsUps: boolean[];
}

const plans = new WeakMap<HistorySpec, { inputs: readonly string[]; plan: Plan }>();

function planOf(spec: HistorySpec, inputs: readonly string[]): Plan {
  const cached = plans.get(spec);
  if (cached && cached.inputs === inputs) return cached.plan;
  const windowDays = [...new Set(spec.features.flatMap((f) => (f.days === undefined ? [] : [f.days])))];
  const plan: Plan = {
    op: Uint8Array.from(spec.features, (f) => OP[f.op]),
    input: Int32Array.from(spec.features, (f) => (f.of === undefined ? -1 : inputs.indexOf(f.of))),
    window: Int32Array.from(spec.features, (f) => (f.days === undefined ? -1 : windowDays.indexOf(f.days))),
    windowDays,
    countsUps: inputs.map((name) => spec.features.some((f) => f.op === 'window_increases' && f.of === name)),
  };
  plans.set(spec, { inputs, plan });
  return plan;
}

const NO_WINDOW = new Int32Array(0);

/** Scratch rows reused from one device to the next (a call runs to its end before the next): window starts per length, increase counts per input. */
const scratchStarts: Int32Array[] = [];
const scratchUps: Int32Array[] = [];

function scratch(list: Int32Array[], i: number, n: number): Int32Array {
  if (!list[i] || list[i].length < n) list[i] = new Int32Array(Math.max(n, 2 * (list[i]?.length ?? 32)));
  return list[i];
}

/** The largest value of input k over each reading's window (the reading itself included), readings `from` on. */
function windowMax(
  values: ArrayLike<number>,
  nIn: number,
  n: number,
  st: Int32Array,
  k: number,
  out: Float64Array,
  o: number,
  nF: number,
  from: number,
): void {
  for (let i = from; i < n; i++, o += nF) {
    let v = values[i * nIn + k]!;
    for (let r = st[i]!; r < i; r++) {
      const x = values[r * nIn + k]!;
      if (x > v) v = x;
    }
    out[o] = v;
  }
}

/**
 * Compute the history features of one entity's readings, already sorted by day with at most
 * one reading a day. `values[i * nInputs + k]` is input k (in `inputs` order) of reading i.
 * Writes row i's features to `out[(offset + i - from) * nFeatures + j]`, for the readings `from`
 * on (the earlier ones are read for the windows, not written: an appended day needs its own row).
 */
export function entityFeatures(
  spec: HistorySpec,
  inputs: readonly string[],
  days: ArrayLike<number>,
  values: ArrayLike<number>,
  out: Float64Array,
  offset = 0,
  from = 0,
): void {
  const n = days.length;
  if (n <= from) return;
  const nF = spec.features.length;
  const nIn = inputs.length;
  const plan = planOf(spec, inputs);
  // Feature by feature over the series (typed loops, no per-cell dispatch): a fleet's million
  // readings cost tens of milliseconds. The property test checks this against the definition
  // above, brute force. Each window length's starts, and each counted input's prefix counts of
  // increases (ups[i + 1] - ups[s]: readings s..i, not the first, above their previous), once.
  const starts = plan.windowDays.map((d, w) => {
    const st = scratch(scratchStarts, w, n);
    for (let i = from, s = 0; i < n; i++) {
      const t = days[i]!;
      while (days[s]! <= t - d) s++;
      st[i] = s;
    }
    return st;
  });
  const ups = plan.countsUps.map((counted, k) => {
    if (!counted) return null;
    const u = scratch(scratchUps, k, n + 1);
    u[0] = 0;
    for (let i = 0; i < n; i++) u[i + 1] = u[i]! + (i > 0 && values[i * nIn + k]! > values[(i - 1) * nIn + k]! ? 1 : 0);
    return u;
  });
  for (let j = 0; j < nF; j++) {
    const k = plan.input[j]!;
    const w = plan.window[j]!;
    // A feature without a window reads none (no out-of-range index on the list: that is a slow path).
    const st = w >= 0 ? starts[w]! : NO_WINDOW;
    let o = offset * nF + j;
    switch (plan.op[j]) {
      case OP.value:
        for (let i = from; i < n; i++, o += nF) out[o] = values[i * nIn + k]!;
        break;
      case OP.diff:
        for (let i = from; i < n; i++, o += nF) out[o] = i === 0 ? 0 : values[i * nIn + k]! - values[(i - 1) * nIn + k]!;
        break;
      case OP.window_max:
        windowMax(values, nIn, n, st, k, out, o, nF, from);
        break;
      case OP.window_delta:
        for (let i = from; i < n; i++, o += nF) out[o] = values[i * nIn + k]! - values[st[i]! * nIn + k]!;
        break;
      case OP.window_increases: {
        const u = ups[k]!;
        for (let i = from; i < n; i++, o += nF) out[o] = u[i + 1]! - u[st[i]!]!;
        break;
      }
      case OP.days_since_first:
        for (let i = from; i < n; i++, o += nF) out[o] = days[i]! - days[0]!;
        break;
      case OP.days_since_previous:
        for (let i = from; i < n; i++, o += nF) out[o] = i === 0 ? 0 : days[i]! - days[i - 1]!;
        break;
    }
  }
}

const windows = new WeakMap<HistorySpec, number>();

/** The longest window the features declare, in days (asked once per device of a chunk: kept per spec). */
function longestWindow(spec: HistorySpec): number {
  let d = windows.get(spec);
  if (d === undefined) windows.set(spec, (d = Math.max(0, ...spec.features.map((f) => f.days ?? 0))));
  return d;
}

/**
 * Where a reading's features can be computed from: its entity's readings from the earliest start
 * of its windows on, and the one before (diff, increases), instead of the entity's whole history.
 * `s`: the entity's first index; `pos`: the earliest reading wanted. entityFeatures on days[start..]
 * then gives every feature but days_since_first exactly; add `shift` to that one.
 */
export function lookbackStart(spec: HistorySpec, days: ArrayLike<number>, s: number, pos: number): { start: number; shift: number } {
  const lookback = longestWindow(spec);
  let lo = pos;
  while (lo > s && days[lo - 1]! > days[pos]! - lookback) lo--;
  const start = Math.max(s, lo - 1);
  return { start, shift: days[start]! - days[s]! };
}

/** Add `shift` to the days_since_first features of the rows in `feats` (nFeatures each). */
export function shiftSinceFirst(spec: HistorySpec, feats: Float64Array, shift: number, fromRow = 0): void {
  if (shift === 0) return;
  const nF = spec.features.length;
  spec.features.forEach((f, j) => {
    if (f.op !== 'days_since_first') return;
    for (let o = fromRow * nF + j; o < feats.length; o += nF) feats[o]! += shift;
  });
}
