// The day's list with devices held back after an inspection: they leave the ranking and the top K,
// the others are ranked among themselves, and a device whose risk rose comes back early.
import { describe, expect, it } from 'vitest';
import { scoredFleet, type Reading } from '@/test/scored-fleet';
import { getDomain } from './domains';
import type { ScoredFleet } from './fleet-rank';
import type { HistorySpec } from './history';
import { holdState, latestInspections, type Inspection } from './inspections';

const spec: HistorySpec = { dateColumn: 'date', entityColumn: 'device', features: [{ name: 'x', op: 'value', of: 'x' }] };
const inspections = getDomain('device').inspections!;

const scored = (rs: Reading[]) => scoredFleet(spec, rs);

function lookup(f: ScoredFleet, list: Inspection[], day: number, holdDays = 7) {
  const latest = latestInspections(list, day);
  return (entity: number, p1: number) => {
    const i = latest.get(f.c.fleet.entities[entity]!);
    return i ? holdState(inspections, { holdDays, riseFactor: 2 }, i, day, f.pOnOrBefore(entity, i.day), p1) : null;
  };
}

// Device, day, P(failure): A rises from 0.3 to 0.9; B and C tie at 0.6 on day 5.
const f = scored(
  'A 1 0.3, A 5 0.9, B 5 0.6, C 5 0.6, D 5 0.1, E 1 0.4, E 5 0.5'.split(', ').map((t) => {
    const [entity, day, p] = t.split(' ');
    return { entity: entity!, day: Number(day), p: Number(p) };
  }),
);

describe('hold-back in the day list', () => {
  it('takes a held device out of the top K and ranks the others among themselves', () => {
    const nothing: Inspection = { entity: 'B', day: 3, outcome: 'nothing_found', note: '' };
    const list = f.dayList(5, 2, Infinity, lookup(f, [nothing], 5))!;
    expect(list.held).toBe(1);
    const row = (e: string) => list.devices.find((d) => d.entity === e)!;
    expect(row('B')).toMatchObject({ inTopK: false, hold: { held: true, until: 10 } });
    expect([row('A').rank, row('C').rank, row('E').rank, row('D').rank]).toEqual([1, 2, 3, 4]);
    expect(list.devices.filter((d) => d.inTopK).map((d) => d.entity)).toEqual(['A', 'C']);
    // Without hold-back: B and C tie at rank 3, outside the top 2.
    const plain = f.dayList(5, 2)!;
    expect(plain.held).toBe(0);
    expect(plain.devices.filter((d) => d.inTopK).map((d) => d.entity)).toEqual(['A']);
  });

  it('lets a device whose risk reached the factor back into the ranking', () => {
    // A was at 0.3 on day 1, 0.9 on day 5 (>= 2 x 0.3): back early; E 0.4 -> 0.5 stays held.
    const list = f.dayList(
      5,
      2,
      Infinity,
      lookup(
        f,
        [
          { entity: 'A', day: 1, outcome: 'nothing_found', note: '' },
          { entity: 'E', day: 1, outcome: 'nothing_found', note: '' },
        ],
        5,
      ),
    )!;
    const row = (e: string) => list.devices.find((d) => d.entity === e)!;
    expect(row('A')).toMatchObject({ rank: 1, inTopK: true, hold: { held: false, backEarly: true } });
    expect(row('E')).toMatchObject({ inTopK: false, hold: { held: true } });
    expect(list.held).toBe(1);
  });

  it('ignores a fault found and an inspection past its horizon', () => {
    const list = f.dayList(
      5,
      2,
      Infinity,
      lookup(
        f,
        [
          { entity: 'A', day: 4, outcome: 'fixed', note: '' },
          { entity: 'E', day: 1, outcome: 'nothing_found', note: '' },
        ],
        5,
        3,
      ),
    )!;
    expect(list.held).toBe(0);
    expect(list.devices.filter((d) => d.inTopK).map((d) => d.entity)).toEqual(['A']);
  });
});
