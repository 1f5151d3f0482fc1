import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scoredFleet, type Reading } from '@/test/scored-fleet';
import { byDescendingP } from './day-ranking';
import { deviceTimeline, fleetEvaluation, searchDevices, thresholdCrossings } from './fleet-report';
import type { HistorySpec } from './history';

const spec: HistorySpec = {
  dateColumn: 'date',
  entityColumn: 'device',
  features: [
    { name: 'x', op: 'value', of: 'x' },
    { name: 'x_diff', op: 'diff', of: 'x' },
    { name: 'x_delta3', op: 'window_delta', of: 'x', days: 3 },
  ],
};

type R = Reading;

const scored = (rs: R[], threshold = 0.5, p99 = new Map<string, number>()) => scoredFleet(spec, rs, threshold, p99);

describe('daily ranking', () => {
  it('ranks each day by P, ties against the reading, marks the top K and the threshold', () => {
    const f = scored([
      { entity: 'A', day: 5, p: 0.2 },
      { entity: 'B', day: 5, p: 0.9 },
      { entity: 'C', day: 5, p: 0.2 },
      { entity: 'D', day: 5, p: 0.1 },
      { entity: 'A', day: 4, p: 0.95 },
    ]);
    const l = f.dayList(null, 2)!;
    expect(l.day).toBe(5);
    expect(l.devices.map((d) => [d.entity, d.rank, d.inTopK, d.aboveThreshold])).toEqual([
      ['B', 1, true, true],
      // A and C tie at 0.2: both rank 3 (two readings with P >= 0.2), so neither is in the top 2.
      ['A', 3, false, false],
      ['C', 3, false, false],
      ['D', 4, false, false],
    ]);
    expect(l.aboveThreshold).toBe(1);
    // At most `max` devices listed; the count and the threshold figure cover the whole day.
    const short = f.dayList(null, 2, 2)!;
    expect([short.devices.map((d) => d.entity), short.total, short.aboveThreshold]).toEqual([['B', 'A'], 4, 1]);
    expect(f.dayList(4, 2)!.devices.map((d) => d.entity)).toEqual(['A']);
    // A day without readings gives the latest day before it.
    expect(f.dayList(4.5, 2)!.day).toBe(4);
    expect(f.dayList(3, 3)!.day).toBe(4);
  });

  it('capacity: exactly the K highest (without ties) are in the top K, whatever K (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 50 }), (ps, k) => {
        const f = scored(
          ps.map((p, i) => ({ entity: `E${i}`, day: 0, p: p / 10_000 })),
          2,
        );
        const l = f.dayList(null, k)!;
        const top = l.devices.filter((d) => d.inTopK).map((d) => d.p1);
        const want = [...ps]
          .sort((a, b) => b - a)
          .slice(0, k)
          .map((p) => Math.fround(p / 10_000));
        return JSON.stringify(top) === JSON.stringify(want) && l.devices.every((d, i) => d.rank === i + 1);
      }),
    );
  });

  it('streaks count consecutive calendar days flagged, ending on the day; a gap or an unflagged day ends them', () => {
    const f = scored([
      { entity: 'A', day: 1, p: 0.9 },
      { entity: 'A', day: 2, p: 0.9 },
      { entity: 'A', day: 4, p: 0.9 },
      { entity: 'A', day: 5, p: 0.9 },
      { entity: 'A', day: 6, p: 0.9 },
      { entity: 'B', day: 6, p: 0.1 },
      { entity: 'B', day: 5, p: 0.95 },
      { entity: 'C', day: 6, p: 0.05 },
    ]);
    const l = f.dayList(6, 1)!;
    expect(l.devices.map((d) => [d.entity, d.streak])).toEqual([
      ['A', 3], // days 4, 5, 6 (day 3 missing ends it)
      ['B', 0], // rank 2 of 3 with K = 1 and below the threshold: not flagged today
      ['C', 0],
    ]);
    // With capacity 2, B is in the top 2 today and was flagged yesterday (above the threshold).
    expect(f.dayList(6, 2)!.devices.find((d) => d.entity === 'B')!.streak).toBe(2);
  });

  it('in a fleet no larger than K, only the threshold flags; the list says which rule it used', () => {
    const f = scored([
      { entity: 'A', day: 1, p: 0.9 },
      { entity: 'A', day: 2, p: 0.9 },
      { entity: 'B', day: 1, p: 0.2 },
      { entity: 'B', day: 2, p: 0.3 },
      { entity: 'C', day: 2, p: 0.1 },
    ]);
    const small = f.dayList(2, 10)!;
    expect(small.flagRule).toBe('threshold');
    expect(small.devices.map((d) => [d.entity, d.inTopK, d.streak])).toEqual([
      ['A', true, 2],
      ['B', true, 0], // in the top 10 of 3 devices, below the threshold: not flagged
      ['C', true, 0],
    ]);
    expect(deviceTimeline(f, 'B', 10)!.flagged).toEqual([false, false]);
    // K = 2 on day 2 (3 devices): B is flagged by rank; day 1 has only 2 devices, so there B is not.
    const big = f.dayList(2, 2)!;
    expect(big.flagRule).toBe('threshold-or-top-k');
    expect(big.devices.find((d) => d.entity === 'B')!.streak).toBe(1);
    expect(deviceTimeline(f, 'B', 2)!.flagged).toEqual([false, true]);
  });

  it('names the counters that moved most, relative to the training p99', () => {
    const f = scored(
      [
        { entity: 'A', day: 0, p: 0.1, x: 5 },
        { entity: 'A', day: 1, p: 0.1, x: 5 },
        { entity: 'A', day: 2, p: 0.1, x: 45 },
      ],
      0.5,
      new Map([['x_delta3', 20]]),
    );
    expect(f.dayList(null, 1)!.devices[0]!.movers).toEqual([{ feature: 'x_delta3', field: 'x', days: 3, value: 40, ratio: 2 }]);
  });
});

describe('failures caught in the daily top K', () => {
  it('on the day, within N days, and the lead time from the first top-K day in the 30 before', () => {
    // F fails on day 10; it is in the top 1 on days 2, 3 and 8 (not 9 or 10); G fails on day 10 and is top on day 10.
    const rs: R[] = [];
    for (let d = 0; d <= 10; d++) {
      const fTop = d === 2 || d === 3 || d === 8;
      rs.push({ entity: 'F', day: d, p: fTop ? 0.9 : 0.1, y: d === 10 ? 1 : 0 });
      rs.push({ entity: 'G', day: d, p: d === 10 ? 0.95 : 0.2, y: d === 10 ? 1 : 0 });
      rs.push({ entity: 'H', day: d, p: fTop || d === 10 ? 0.3 : 0.8, y: 0 });
    }
    const ev = fleetEvaluation(scored(rs), 1)!;
    expect(ev.failures).toBe(2);
    expect(ev.caughtOnDay).toBe(1);
    expect(ev.caughtWithin).toEqual({ 3: 2, 7: 2 });
    expect(ev.catches.map((c) => [c.entity, c.onDay, c.rankOnDay, c.leadDays])).toEqual([
      ['F', false, 3, 8],
      ['G', true, 1, 0],
    ]);
    expect(ev.caughtWithinLead).toBe(2);
    expect(ev.leadDaysMedian).toBe(4);
    expect(ev.report.n).toBe(33);
    expect(ev.report.positives).toBe(2);
  });

  it('is absent without a label column', () => {
    expect(fleetEvaluation(scored([{ entity: 'A', day: 0, p: 0.3 }]), 10)).toBeNull();
  });
});

describe('device timeline and search', () => {
  it("gives one device's readings by day with their rank and flags", () => {
    const f = scored([
      { entity: 'A', day: 2, p: 0.9, x: 3 },
      { entity: 'A', day: 1, p: 0.2, x: 1 },
      { entity: 'B', day: 1, p: 0.4 },
    ]);
    const t = deviceTimeline(f, 'A', 1)!;
    expect([t.days, t.rank, t.flagged, t.values, t.lines]).toEqual([
      [1, 2],
      [2, 1],
      [false, true],
      [[1], [3]],
      [3, 2],
    ]);
    expect(deviceTimeline(f, 'Z', 1)).toBeNull();
    expect(searchDevices(f, ' a ')).toEqual(['A']);
  });
});

describe('threshold crossings', () => {
  it('are the days the risk rose from below the threshold to it or above', () => {
    const t = { days: [1, 2, 3, 4, 5, 6], p1: [0.6, 0.2, 0.5, 0.7, 0.3, 0.9], threshold: 0.5 };
    expect(thresholdCrossings(t)).toEqual([3, 6]);
    expect(thresholdCrossings({ days: [1], p1: [0.9], threshold: 0.5 })).toEqual([]);
  });
});

describe('devices that stopped reporting, and gaps', () => {
  const withGap: HistorySpec = { ...spec, gapDays: 3 };
  const rs: R[] = [
    ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((day) => ({ entity: 'A', day, p: 0.2 })),
    ...[0, 1, 2, 3, 4, 5].map((day) => ({ entity: 'B', day, p: 0.3 })), // silent from day 6
    ...[0, 1, 2, 3, 4, 5].map((day) => ({ entity: 'F', day, p: 0.9, y: day === 5 ? 1 : 0 })), // failed on day 5
    ...[0, 1, 9, 10].map((day) => ({ entity: 'G', day, p: 0.1 })), // a gap of 7 days, reporting again
  ].map((r) => ({ y: 0, ...r }));
  const f = scoredFleet(withGap, rs, 0.5, new Map());

  it('lists a device whose last reading is more than the declared gap before the day, not one that failed', () => {
    expect(f.dayList(10, 2)!.silent).toEqual([{ entity: 'B', lastDay: 5, daysSince: 5 }]);
    // On day 8, B has been silent 3 days (not more than 3) and G 7 days.
    expect(f.dayList(8, 2)!.silent).toEqual([{ entity: 'G', lastDay: 1, daysSince: 7 }]);
    expect(scoredFleet(spec, rs, 0.5, new Map()).dayList(10, 2)!.silent).toEqual([]);
  });

  it("lists a device's gaps on its page", () => {
    expect(deviceTimeline(f, 'G', 2)!.gaps).toEqual({ longerThan: 3, list: [{ after: 1, before: 9, missing: 7 }] });
    expect(deviceTimeline(f, 'A', 2)!.gaps).toEqual({ longerThan: 3, list: [] });
  });
});

describe('byDescendingP', () => {
  it('orders positions as a comparator sort by P descending, ties by position, NaN (unscored) as 1 (property)', () => {
    const p = fc.oneof(fc.constantFrom(0, 1, 0.5, Number.NaN, 2 ** -149), fc.float({ min: 0, max: 1, noNaN: true }));
    fc.assert(
      fc.property(fc.array(p, { maxLength: 300 }), (ps) => {
        const p1 = Float32Array.from(ps);
        const key = (i: number) => (Number.isNaN(p1[i]!) ? 1 : p1[i]!);
        const expected = Array.from(p1, (_, i) => i).sort((a, b) => key(b) - key(a) || a - b);
        expect(Array.from(byDescendingP(p1))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
