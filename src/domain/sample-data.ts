import type { DomainSpec } from './domain-spec';
import type { FieldSpec } from './field-spec';
import { formatIsoDay, parseIsoDay } from './history';
import type { ModelEntry } from './manifest';

/**
 * Generated sample files, so that the batch and Fleet views can be tried without a file of
 * one's own. Seeded: the same seed gives the same bytes everywhere. Values are drawn from the
 * models' training ranges (the manifest's percentiles), never copied from a data set's rows.
 */

/** A name that says what the file is; the views say "generated sample data" when they read it. */
export const SAMPLE_FILE_PREFIX = 'generated-sample';

/** mulberry32: a small seeded generator, uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Range {
  p1: number;
  median: number;
  p99: number;
}

/** Each input's training range, merged over the given models (the first that has it wins). */
export function trainingRanges(models: readonly Pick<ModelEntry, 'features'>[]): Map<string, Range> {
  const out = new Map<string, Range>();
  for (const m of models) for (const f of m.features) if (!out.has(f.name)) out.set(f.name, { p1: f.p1, median: f.median, p99: f.p99 });
  return out;
}

function drawValue(f: FieldSpec, r: Range | undefined, rnd: () => number): number {
  if (f.kind === 'yes-no' || f.kind === 'sex') return rnd() < 0.5 ? 0 : 1;
  const lo = Math.max(f.min, r?.p1 ?? f.min);
  const hi = Math.min(f.max, r?.p99 ?? f.max);
  const v = lo + (hi - lo) * rnd();
  return f.kind === 'integer' ? Math.round(v) : Math.round(v * 10) / 10;
}

/**
 * A batch file of `rows` good rows over every field of the domain (an id column first), with
 * three bad rows among them: a cell that is not a number, a value over its field's limit, and a
 * row with a cell missing. So the rejected-row list shows what it does.
 */
export function sampleBatchCsv(domain: Pick<DomainSpec, 'fields'>, ranges: ReadonlyMap<string, Range>, seed = 1, rows = 60): string {
  const rnd = seededRandom(seed);
  const fields = domain.fields;
  const lines = [['sample_id', ...fields.map((f) => f.name)].join(',')];
  for (let i = 0; i < rows; i++)
    lines.push([`S${String(i + 1).padStart(3, '0')}`, ...fields.map((f) => drawValue(f, ranges.get(f.name), rnd))].join(','));
  const numeric = fields.findIndex((f) => f.kind !== 'yes-no' && f.kind !== 'sex');
  const bad = (at: number, change: (cells: string[]) => string[]) => {
    const cells = lines[at]!.split(',');
    lines[at] = change(cells).join(',');
  };
  const col = numeric + 1;
  bad(4, (c) => c.map((x, j) => (j === col ? 'n/a' : x)));
  bad(9, (c) => c.map((x, j) => (j === col ? String(fields[numeric]!.max + 1) : x)));
  bad(15, (c) => c.slice(0, -1));
  return lines.join('\n') + '\n';
}

export interface SampleFleetOptions {
  seed?: number;
  devices?: number;
  days?: number;
  /** Devices that degrade and fail (on different days, then stop reporting). */
  failing?: number;
  /** Days over which a failing device's counters climb. */
  ramp?: number;
}

/**
 * A fleet's daily log: `devices` devices over `days` days from 2015-01-01, the label column
 * (failure) included. Most devices are steady; `failing` of them see the counters that the
 * history model watches move (those of its window_delta features) climb over their last `ramp`
 * days and fail, on different days; one steady device misses 10 days (a gap).
 */
export function sampleFleetCsv(
  domain: Pick<DomainSpec, 'fields' | 'history' | 'labelColumn'>,
  model: Pick<ModelEntry, 'features'>,
  opts: SampleFleetOptions = {},
): string {
  const { seed = 1, devices = 36, days = 120, failing = 5, ramp = 14 } = opts;
  const h = domain.history;
  if (!h) throw new Error('sample fleet: the domain declares no history');
  const rnd = seededRandom(seed);
  const stats = new Map(model.features.map((f) => [f.name, f]));
  const inputs = [...new Set(h.features.flatMap((f) => (f.of ? [f.of] : [])))];
  const fields = inputs.map((n) => domain.fields.find((f) => f.name === n)!);
  // A counter's range from its `value` feature; how fast it climbs from its longest window_delta's p99.
  const range = (name: string): Range | undefined => {
    const v = h.features.find((f) => f.op === 'value' && f.of === name);
    return v ? stats.get(v.name) : undefined;
  };
  const climb = new Map<string, number>();
  for (const f of h.features) {
    if (f.op !== 'window_delta' || !f.of) continue;
    const p99 = Math.abs(stats.get(f.name)?.p99 ?? 0);
    const perDay = Math.max(1, (3 * p99) / Math.min(ramp, f.days ?? ramp));
    climb.set(f.of, Math.max(climb.get(f.of) ?? 0, perDay));
  }
  const start = parseIsoDay('2015-01-01')!;
  const base = Array.from({ length: devices }, () => fields.map((f) => drawValue(f, range(f.name), rnd)));
  // Failing devices spread over the fleet, failing over the last third of the period.
  const failDay = new Map<number, number>();
  for (let j = 0; j < failing && j < devices; j++)
    failDay.set(Math.floor(((j + 0.5) * devices) / failing), days - 1 - Math.floor((j * days) / (3 * failing)));
  const gapDevice = [...Array(devices).keys()].find((e) => !failDay.has(e)) ?? -1;
  const lines = [[h.dateColumn, h.entityColumn, domain.labelColumn, ...inputs].join(',')];
  for (let d = 0; d < days; d++) {
    for (let e = 0; e < devices; e++) {
      const fd = failDay.get(e);
      if (fd !== undefined && d > fd) continue;
      if (e === gapDevice && d >= 40 && d < 50) continue;
      const c = fd === undefined ? 0 : Math.max(0, d - (fd - ramp));
      const values = fields.map((f, k) => {
        const b = base[e]![k]!;
        const up = c > 0 ? Math.round(c * (climb.get(f.name) ?? 0)) : 0;
        // Steady counters drift a little; none goes past its hard limits.
        const jitter = climb.has(f.name) || f.kind !== 'integer' ? 0 : Math.round((rnd() - 0.5) * 0.02 * b);
        return Math.min(f.max, Math.max(f.min, b + up + jitter));
      });
      const label = fd === d ? 1 : 0;
      lines.push([formatIsoDay(start + d), `device-${String(e + 1).padStart(2, '0')}`, label, ...values].join(','));
    }
  }
  return lines.join('\n') + '\n';
}
