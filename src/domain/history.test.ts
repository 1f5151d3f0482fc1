import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assembleFleet, fleetFeatures } from './fleet';
import { dateProblem, entityFeatures, formatIsoDay, parseIsoDay, type HistorySpec } from './history';

const spec: HistorySpec = {
  dateColumn: 'date',
  entityColumn: 'device',
  features: [
    { name: 'x', op: 'value', of: 'x' },
    { name: 'x_diff', op: 'diff', of: 'x' },
    { name: 'x_max3', op: 'window_max', of: 'x', days: 3 },
    { name: 'x_delta3', op: 'window_delta', of: 'x', days: 3 },
    { name: 'x_ups3', op: 'window_increases', of: 'x', days: 3 },
    { name: 'age', op: 'days_since_first' },
    { name: 'gap', op: 'days_since_previous' },
  ],
};

function rows(days: number[], xs: number[]): number[][] {
  const out = new Float64Array(days.length * spec.features.length);
  entityFeatures(spec, ['x'], days, xs, out);
  return days.map((_, i) => Array.from(out.slice(i * 7, i * 7 + 7)));
}

describe('ISO dates', () => {
  it('reads real calendar dates only, never guessing', () => {
    expect(parseIsoDay('2015-01-01')).toBe(16436);
    expect(parseIsoDay(' 2016-02-29 ')).toBe(16860);
    for (const bad of ['2015-02-29', '2015-13-01', '2015-00-10', '2015-04-31', '01/02/2015', '2015-1-1', '20150101', '2015-01-01T00:00', '']) {
      expect(parseIsoDay(bad)).toBeNull();
    }
    expect(dateProblem('2015-02-30')).toBe('"2015-02-30" is not a real calendar date');
    expect(dateProblem('01/02/2015')).toMatch(/is not an ISO date \(expected YYYY-MM-DD/);
  });

  it('agrees with the Date.UTC definition on any text, repeated or not (property)', () => {
    // The definition parseIsoDay replaced: a regular expression, Date.UTC, and a round trip.
    const byDate = (text: string): number | null => {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
      if (!m) return null;
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
      const back = new Date(Date.UTC(y, mo - 1, d));
      if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
      return back.getTime() / 86_400_000;
    };
    const pad = (n: number, w: number) => String(n).padStart(w, '0');
    const dateLike = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.constantFrom('', ' ', '\t', '\u00a0'),
      )
      .map(([y, m, d, ws]) => `${ws}${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}${ws}`);
    const text = fc.oneof(dateLike, fc.string({ maxLength: 12 }), fc.stringMatching(/^[0-9 -]{8,12}$/));
    fc.assert(
      fc.property(fc.array(text, { maxLength: 20 }), (texts) => {
        for (const t of [...texts, ...texts.slice().reverse()]) expect(parseIsoDay(t)).toBe(byDate(t));
      }),
      { numRuns: 2000 },
    );
    for (const t of ['0099-01-01', '0100-02-29', '1900-02-29', '2000-02-29', '2100-02-28', '9999-12-31']) expect(parseIsoDay(t)).toBe(byDate(t));
  });

  it('round-trips every day (property)', () => {
    fc.assert(fc.property(fc.integer({ min: -100_000, max: 100_000 }), (day) => parseIsoDay(formatIsoDay(day)) === day));
  });
});

describe('history features', () => {
  it('follow the declared semantics on a device with a gap', () => {
    // days 0, 1, 2, 5, 6 with values 1, 3, 3, 2, 7
    expect(rows([0, 1, 2, 5, 6], [1, 3, 3, 2, 7])).toEqual([
      [1, 0, 1, 0, 0, 0, 0],
      [3, 2, 3, 2, 1, 1, 1],
      [3, 0, 3, 2, 1, 2, 1], // window days 0..2: increases at day 1 only
      [2, -1, 2, 0, 0, 5, 3], // window days 3..5 holds day 5 alone; its increase test looks back to day 2 (3 > 2? no)
      [7, 5, 7, 5, 1, 6, 1], // window days 4..6: days 5 and 6
    ]);
  });

  it('window features never read outside the window (property: equal to a brute-force definition)', () => {
    const series = fc
      .array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 20 })), { minLength: 1, maxLength: 30 })
      .map((steps) => {
        let d = 0;
        return steps.map(([gap, x], i) => ({ day: i === 0 ? 0 : (d += gap), x }));
      });
    fc.assert(
      fc.property(series, (s) => {
        const got = rows(
          s.map((r) => r.day),
          s.map((r) => r.x),
        );
        return s.every((r, i) => {
          const w = s.map((q, j) => ({ ...q, j })).filter((q) => q.day > r.day - 3 && q.j <= i);
          const max = Math.max(...w.map((q) => q.x));
          const delta = r.x - w[0]!.x;
          const ups = w.filter((q) => q.j > 0 && q.x > s[q.j - 1]!.x).length;
          const g = got[i]!;
          return g[2] === max && g[3] === delta && g[4] === ups && g[5] === r.day && g[6] === (i === 0 ? 0 : r.day - s[i - 1]!.day);
        });
      }),
      { numRuns: 2000 },
    );
  });
});

describe('fleet assembly', () => {
  it('groups by device, sorts by day whatever the file order, and keeps the later of two readings of one day', () => {
    const readings = [
      { entity: 'B', day: 2, line: 2 },
      { entity: 'A', day: 1, line: 3 },
      { entity: 'B', day: 1, line: 4 },
      { entity: 'A', day: 1, line: 5 },
      { entity: 'A', day: 0, line: 6 },
      { entity: 'A', day: 1, line: 7 },
    ];
    const fleet = assembleFleet(readings);
    expect(fleet.entities).toEqual(['B', 'A']);
    expect(Array.from(fleet.order).map((i) => readings[i]!.line)).toEqual([4, 2, 6, 7]);
    expect(Array.from(fleet.entityStart)).toEqual([0, 2, 4]);
    expect(fleet.duplicates).toEqual([
      { line: 3, keptLine: 7, entity: 'A', day: 1 },
      { line: 5, keptLine: 7, entity: 'A', day: 1 },
    ]);
    const xs = [10, 5, 4, 6, 1, 8];
    const f = fleetFeatures(
      spec,
      ['x'],
      fleet,
      readings.map((r) => r.day),
      xs,
    );
    // A: day 0 (x 1), day 1 (x 8, the last of three)
    expect(Array.from(f.slice(3 * 7, 4 * 7))).toEqual([8, 7, 8, 7, 1, 1, 1]);
  });
});
