// Append equals load: for random splits of a generated log (gaps, late rows, rows replaced by a
// later file, duplicates within a file, rows out of order), loading the parts one after another
// gives the same devices, positions, values, features, probabilities and ranks as loading the
// concatenated file in one go, bit for bit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { streamCsv } from '@/domain/csv/stream';
import { getDomain } from '@/domain/domains';
import { fleetFeatures } from '@/domain/fleet';
import { findLogColumns, FleetLog, logRowCheck } from '@/domain/fleet-log';
import { ScoredFleet } from '@/domain/fleet-rank';
import { formatIsoDay, historyInputs } from '@/domain/history';
import { rankAfterAppend, rankDays } from './day-ranking';
import { emptyLog, featureRows, fleetColumns, historyChunk, mergeLog, type IncomingLog, type KeptLog, type LogRoom } from './fleet-workspace';
import { applyDeltas, deltaOf, type KeptDelta } from './fleet-workspace-delta';

const domain = getDomain('device');
const spec = domain.history!;
const inputs = historyInputs(spec);
const nIn = inputs.length;
const allFeatures = spec.features.map((_, j) => j);

async function readLog(text: string): Promise<IncomingLog> {
  let log: FleetLog | null = null;
  let check: ReturnType<typeof logRowCheck> = () => null;
  const result = await streamCsv(text, domain, {
    featureOrder: inputs,
    float64: true,
    chunkRows: 7,
    extraCheck: (cells, line) => (log ? check(cells, line) : null),
    onHeader: (columns) => {
      const found = findLogColumns(columns, spec);
      if ('missing' in found) throw new Error(found.message);
      check = logRowCheck(found);
      log = new FleetLog(nIn, found);
    },
    onBatch: (b) => log!.add(b),
  });
  expect(result.status).toBe('done');
  const L = log as unknown as FleetLog;
  return { fleet: L.assemble(), day: L.day.view(), label: L.label.view(), line: L.line.view(), values: L.values.view() };
}

/** A stand-in model: a float32 of the feature row that changes when any feature changes. */
function score(log: KeptLog, positions: Int32Array): void {
  const rows = featureRows(spec, inputs, log, positions, allFeatures);
  const nF = allFeatures.length;
  positions.forEach((pos, r) => {
    let h = 0;
    for (let j = 0; j < nF; j++) h = (h * 31 + rows[r * nF + j]! * (j + 1)) % 1_000_003;
    log.p1[pos] = (h % 1000) / 1000;
  });
}

/** Columns for `cap` readings holding leftovers (a room made for an earlier append, or written before). */
function roomOf(cap: number): LogRoom {
  return {
    day: new Int32Array(cap).fill(-7),
    label: new Int8Array(cap).fill(9),
    line: new Int32Array(cap).fill(-7),
    source: new Uint16Array(cap).fill(7),
    values: new Float64Array(cap * nIn).fill(-7.5),
    p1: new Float32Array(cap).fill(0.77),
  };
}

/** `extra`: merged into a room with that many readings more than the merge needs (negative: too small, not used). */
async function append(log: KeptLog, text: string, source: number, extra: number | null = null) {
  const incoming = await readLog(text);
  const room = extra === null ? undefined : roomOf(Math.max(0, log.day.length + incoming.fleet.order.length + extra));
  const m = mergeLog(log, incoming, nIn, source, room && (() => room));
  if (room) {
    const inRoom = extra! >= 0;
    for (const k of ['day', 'label', 'line', 'source', 'values', 'p1'] as const) expect(m.log[k].buffer === room[k].buffer).toBe(inRoom);
  }
  score(m.log, m.dirty);
  return m;
}

/** A seeded log: devices report on most days, with gaps; some rows are written twice. */
function generate(seed: number, devices: number, days: number): string[] {
  let s = seed >>> 0 || 1;
  const rand = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  const rows: string[] = [];
  for (let d = 0; d < days; d++) {
    for (let e = 0; e < devices; e++) {
      if (rand() < 0.15) continue; // a gap
      const date = formatIsoDay(16436 + d); // 2015-01-01
      const cells = inputs.map((_, j) => String(Math.floor(rand() * (j === 0 ? 2.4e8 : 50))));
      rows.push([date, `D${e}`, rand() < 0.02 ? '1' : '0', ...cells].join(','));
      if (rand() < 0.05) rows.push([date, `D${e}`, '0', ...cells.map((c) => String(Number(c) + 1))].join(','));
    }
  }
  return rows;
}

const header = ['date', 'device', 'failure', ...inputs].join(',');

describe('mergeLog: append equals load', () => {
  it('scores only the new readings when a later day is appended', async () => {
    const rows = generate(7, 5, 12);
    const cut = rows.findIndex((r) => r.startsWith(formatIsoDay(16436 + 11)));
    const first = await append(emptyLog(), [header, ...rows.slice(0, cut)].join('\n'), 0);
    const second = await append(first.log, [header, ...rows.slice(cut)].join('\n'), 1);
    const lastDay = 16436 + 11;
    expect(second.dirty.length).toBeGreaterThan(0);
    for (const pos of second.dirty) expect(second.log.day[pos]).toBe(lastDay);
    expect(second.replaced).toEqual([]);
    expect(second.added).toBe(second.dirty.length);
  });

  it('a reading for a kept device and day replaces it, and is counted', async () => {
    const a = await append(emptyLog(), [header, '2015-01-01,A,0,1,1,1,1,1,1,1,1', '2015-01-02,A,0,2,2,2,2,2,2,2,2'].join('\n'), 0);
    const b = await append(a.log, [header, '2015-01-01,A,0,5,5,5,5,5,5,5,5', '2015-01-03,B,0,1,1,1,1,1,1,1,1'].join('\n'), 1);
    expect(b.added).toBe(1);
    expect(b.replaced).toEqual([{ entity: 'A', day: 16436, keptLine: 2, keptSource: 0, line: 2 }]);
    expect(Array.from(b.log.values.subarray(0, nIn))).toEqual(Array(nIn).fill(5));
    // A's later reading is rescored too: its diff now starts from 5.
    expect(Array.from(b.dirty)).toEqual([0, 1, 2]);
    expect(b.log.entities).toEqual(['A', 'B']);
  });

  it('for random splits into several files, in any order of days', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 999 }), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        // Appends merged into rooms (leftovers in them, some too small): the same logs.
        fc.option(fc.integer({ min: -3, max: 40 }), { nil: null }),
        async (seed, cuts, shuffle, extra) => {
          let rows = generate(seed, 6, 45);
          if (shuffle) {
            // Rows out of order, so that later files hold late readings of earlier days.
            let s = seed;
            rows = rows
              .map((r) => [r, (s = (s * 48271) % 2147483647)] as const)
              .sort((x, y) => x[1] - y[1])
              .map((x) => x[0]);
          }
          // Cut points strictly inside the log: every part holds rows.
          const at = [...new Set(cuts.map((c) => Math.max(1, Math.floor((c / 1000) * rows.length))))].sort((x, y) => x - y);
          const parts = [0, ...at, rows.length].slice(1).map((end, i, ends) => rows.slice(i === 0 ? 0 : ends[i - 1], end));
          let kept = emptyLog();
          let base = kept;
          const deltas: KeptDelta[] = [];
          let ranking = rankDays(kept.day, kept.p1);
          for (let i = 0; i < parts.length; i++) {
            const m = await append(kept, [header, ...parts[i]!].join('\n'), i, i === 0 ? null : extra);
            if (i === 0) base = m.log;
            else deltas.push(deltaOf(m.log, m.dirty, nIn));
            // Ranked from the ranking before the append (or whole, when it touched much): the same arrays.
            const whole = rankDays(m.log.day, m.log.p1);
            ranking = rankAfterAppend(ranking, m.moved, m.log.day, m.log.p1, m.dirty) ?? whole;
            expect(ranking).toEqual(whole);
            kept = m.log;
          }
          // Kept in the browser as the first part and a delta per later append, read back: the same log.
          const restored = applyDeltas(base, deltas, nIn);
          for (const k of ['entityStart', 'day', 'label', 'line', 'source', 'values', 'p1'] as const) expect(restored[k]).toEqual(kept[k]);
          expect(restored.entities).toEqual(kept.entities);
          const whole = (await append(emptyLog(), [header, ...rows].join('\n'), 0)).log;

          expect(kept.entities).toEqual(whole.entities);
          expect(kept.entityStart).toEqual(whole.entityStart);
          expect(kept.day).toEqual(whole.day);
          expect(kept.label).toEqual(whole.label);
          expect(kept.values).toEqual(whole.values);
          expect(kept.p1).toEqual(whole.p1);
          expect(kept.p1.some(Number.isNaN)).toBe(false);
          const all = Int32Array.from(kept.day, (_, i) => i);
          expect(featureRows(spec, inputs, kept, all, allFeatures)).toEqual(featureRows(spec, inputs, whole, all, allFeatures));
          const rank = (log: KeptLog) => new ScoredFleet(fleetColumns(log, inputs), spec, 0.5).rank;
          expect(rank(kept)).toEqual(rank(whole));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('an append of a few readings ranks from the ranking before it: the same arrays as ranking the whole log (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 4 }), async (seed, size) => {
        // The last rows in a shuffled order: late readings of earlier days, replacements, new devices.
        const rows = generate(seed, 8, 40);
        const tail = rows.splice(Math.floor(rows.length * 0.9));
        let s = seed;
        tail.sort(() => ((s = (s * 48271) % 2147483647) % 3) - 1);
        tail.push(`${formatIsoDay(16436 + 41)},NEW${seed % 7},0,${inputs.map(() => '1').join(',')}`);
        let log = (await append(emptyLog(), [header, ...rows].join('\n'), 0)).log;
        let ranking = rankDays(log.day, log.p1);
        let incremental = 0;
        for (let i = 0; i < tail.length; i += size) {
          const m = await append(log, [header, ...tail.slice(i, i + size)].join('\n'), 1 + i);
          const next = rankAfterAppend(ranking, m.moved, m.log.day, m.log.p1, m.dirty);
          const whole = rankDays(m.log.day, m.log.p1);
          if (next) incremental++;
          expect(next ?? whole).toEqual(whole);
          [log, ranking] = [m.log, next ?? whole];
        }
        expect(incremental).toBeGreaterThan(0);
      }),
      { numRuns: 40 },
    );
  });

  it('featureRows of a few late readings, computed from their windows only, equal those of the whole history', async () => {
    const text = [header, ...generate(11, 4, 70)].join('\n');
    const incoming = await readLog(text);
    const log = mergeLog(emptyLog(), incoming, nIn, 0).log;
    const all = fleetFeatures(spec, inputs, incoming.fleet, incoming.day, incoming.values);
    const nF = spec.features.length;
    // Each device's last 3 readings, and one in the middle: far more than a window after the first.
    const picked = Int32Array.from(
      log.entities.flatMap((_, e) => {
        const end = log.entityStart[e + 1]!;
        return [log.entityStart[e]! + 35, end - 3, end - 2, end - 1];
      }),
    );
    const rows = featureRows(spec, inputs, log, picked, allFeatures);
    picked.forEach((pos, r) =>
      expect(Array.from(rows.subarray(r * nF, (r + 1) * nF))).toEqual(Array.from(Float32Array.from(all.subarray(pos * nF, (pos + 1) * nF)))),
    );
    // The ranking's own look at one reading (the movers of a day's list) reads its windows the same way.
    const ranked = new ScoredFleet(fleetColumns(log, inputs), spec, 0.5);
    for (const pos of picked) expect(Array.from(ranked.featuresAt(pos))).toEqual(Array.from(all.subarray(pos * nF, (pos + 1) * nF)));
  });

  it('featureRows of a historyChunk (another worker computes from it alone) equal those of the whole log (property)', async () => {
    const text = [header, ...generate(5, 6, 50)].join('\n');
    const log = mergeLog(emptyLog(), await readLog(text), nIn, 0).log;
    const n = log.day.length;
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: n }), (picked) => {
        const positions = Int32Array.from(picked.sort((a, b) => a - b));
        const chunk = historyChunk(log, nIn, positions, spec);
        expect(chunk.log.day.length).toBeLessThanOrEqual(n);
        expect(featureRows(spec, inputs, chunk.log, chunk.positions, allFeatures)).toEqual(featureRows(spec, inputs, log, positions, allFeatures));
      }),
      { numRuns: 200 },
    );
    // One late reading of each device of a long log: its windows and its first reading, not the log between them.
    const long = mergeLog(emptyLog(), await readLog([header, ...generate(6, 4, 200)].join('\n')), nIn, 0).log;
    const lookback = Math.max(...spec.features.map((f) => f.days ?? 0));
    const lastOfEach = Int32Array.from({ length: long.entities.length }, (_, e) => long.entityStart[e + 1]! - 1);
    const late = historyChunk(long, nIn, lastOfEach, spec);
    expect(late.log.entityStart.length).toBe(long.entities.length + 1);
    for (let e = 0; e < long.entities.length; e++) expect(late.log.entityStart[e + 1]! - late.log.entityStart[e]!).toBeLessThanOrEqual(lookback + 2);
    expect(late.log.day.length).toBeLessThan(long.day.length / 4);
    expect(featureRows(spec, inputs, late.log, late.positions, allFeatures)).toEqual(featureRows(spec, inputs, long, lastOfEach, allFeatures));
    // A chunk of whole devices holds exactly their readings.
    const two = Int32Array.from({ length: log.entityStart[3]! - log.entityStart[1]! }, (_, i) => log.entityStart[1]! + i);
    const chunk = historyChunk(log, nIn, two, spec);
    expect(Array.from(chunk.log.day)).toEqual(Array.from(log.day.subarray(log.entityStart[1]!, log.entityStart[3]!)));
    expect(Array.from(chunk.log.entityStart)).toEqual([0, log.entityStart[2]! - log.entityStart[1]!, two.length]);
  });

  it('featureRows gives the features of fleet.ts for every reading', async () => {
    const text = [header, ...generate(3, 4, 15)].join('\n');
    const incoming = await readLog(text);
    const log = mergeLog(emptyLog(), incoming, nIn, 0).log;
    const all = Int32Array.from(log.day, (_, i) => i);
    expect(featureRows(spec, inputs, log, all, allFeatures)).toEqual(
      Float32Array.from(fleetFeatures(spec, inputs, incoming.fleet, incoming.day, incoming.values)),
    );
  });
});
