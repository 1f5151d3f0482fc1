import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { RankedDevice } from '@/domain/fleet-rank';
import { parseIsoDay } from '@/domain/history';
import { workOrdersCsv, workOrderPriority } from './work-orders';

const device = (over: Partial<RankedDevice>): RankedDevice => ({
  rank: 1,
  entity: 'S1F0',
  p1: 0.57,
  aboveThreshold: true,
  inTopK: true,
  streak: 3,
  line: 9,
  movers: [{ feature: 'metric4_delta7', field: 'metric4', days: 7, value: 12, ratio: 3 }],
  ...over,
});

describe('work orders', () => {
  it('writes one row per chosen device with priority, due date, title and a description with risk, rank and moves', () => {
    const day = parseIsoDay('2015-10-30')!;
    const csv = workOrdersCsv(
      [device({}), device({ entity: '=evil', rank: 14, p1: 0.2, aboveThreshold: false, inTopK: false, streak: 0, movers: [] })],
      { day, total: 1143, modelId: 'device-fleet', modelVersion: '1.0' },
    );
    const rows = Papa.parse<string[]>(csv.trim()).data;
    expect(rows[0]).toEqual(['asset_id', 'priority', 'due_date', 'title', 'description']);
    expect(rows[1]).toEqual([
      'S1F0',
      '1',
      '2015-10-31',
      'Inspect S1F0: predicted failure risk 57 %',
      'Risk 57 %, rank 1 of 1,143 devices on 2015-10-30; counters that moved most: metric4 +12 in 7 d; flagged 3 days running. From Prognos device-fleet 1.0; chosen by a person on the list.',
    ]);
    expect(rows[2]!.slice(0, 3)).toEqual(["'=evil", '3', '2015-11-06']);
  });
  it('gives priority 1 above the threshold and in the top K, 2 for either, 3 for neither', () => {
    expect(
      [
        [true, true],
        [true, false],
        [false, true],
        [false, false],
      ].map(([a, k]) => workOrderPriority({ aboveThreshold: a!, inTopK: k! })),
    ).toEqual([1, 2, 2, 3]);
  });
});
