// The inspection policy: the hand cases of training/test_policy.py, the hold-back and early-return
// rule, and (with DATA_DIR) the manifest's out-of-fold policy table recomputed from
// training/golden/oof-device-fleet.json and the log's days and devices.
import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { getDomain } from '@/domain/domains';
import { parseIsoDay } from '@/domain/history';
import { readManifest, repoRoot } from '@/test/golden';
import { rankDays } from './day-ranking';
import { dayOrder, policyTable, simulatePolicy, type PolicyLog } from './fleet-policy';
import { holdReason, holdState, latestInspections, outcomeOf, type InspectionSpec } from './inspections';

const spec = getDomain('device').inspections!;
const cover = (coverDays: number): InspectionSpec => ({ ...spec, coverDays });

/** rows: [day, device, failed, p] */
function log(rows: [number, string, number, number][]): PolicyLog {
  const ids = new Map<string, number>();
  return {
    day: rows.map((r) => r[0]),
    entity: rows.map((r) => ids.get(r[1]) ?? (ids.set(r[1], ids.size), ids.size - 1)),
    label: rows.map((r) => r[2]),
    p: rows.map((r) => r[3]),
  };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
// "a" always looks riskier and never fails; "b" fails on day 9.
const QUIET_A = log([
  ...range(10).map((d) => [d, 'a', 0, 0.9] as [number, string, number, number]),
  ...range(10).map((d) => [d, 'b', d === 9 ? 1 : 0, 0.5] as [number, string, number, number]),
]);

describe("the simulation's order", () => {
  // Few days, devices and distinct P values, so that ties within a day are common.
  const reading = fc.record({
    day: fc.integer({ min: 0, max: 6 }),
    entity: fc.integer({ min: 0, max: 5 }),
    label: fc.constantFrom(0, 0, 0, 1),
    p: fc.oneof(fc.constantFrom(0, 0.125, 0.5, 0.75, 1), fc.float({ min: 0, max: 1, noNaN: true })),
  });
  const asLog = (rs: { day: number; entity: number; label: number; p: number }[]) => ({
    day: Int32Array.from(rs, (r) => r.day),
    entity: Int32Array.from(rs, (r) => r.entity),
    label: Int8Array.from(rs, (r) => r.label),
    p: Float32Array.from(rs, (r) => r.p),
  });

  it("is a ranked log's byDay: day, then P descending, then position (float32 P, ties included)", () => {
    fc.assert(
      fc.property(fc.array(reading, { maxLength: 200 }), (rs) => {
        const log = asLog(rs);
        expect(Array.from(rankDays(log.day, log.p).byDay)).toEqual(Array.from(dayOrder(log)));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same simulation as its own sort, for any K and hold-back', () => {
    fc.assert(
      fc.property(fc.array(reading, { maxLength: 200 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom(0, 2, 7), (rs, k, holdDays) => {
        const log = asLog(rs);
        const rule = { holdDays, riseFactor: spec.riseFactor };
        expect(simulatePolicy(log, cover(2), k, rule, rankDays(log.day, log.p).byDay)).toEqual(simulatePolicy(log, cover(2), k, rule));
      }),
      { numRuns: 300 },
    );
  });
});

describe('simulatePolicy (the cases of training/test_policy.py)', () => {
  it('without hold-back, the top device takes every inspection', () => {
    expect(simulatePolicy(QUIET_A, cover(2), 1, { holdDays: 0, riseFactor: 2 })).toMatchObject({
      failures: 1,
      caught: 0,
      inspections: 10,
      caughtPer100: 0,
    });
  });
  it('holding back a healthy device lets the next one be inspected', () => {
    expect(simulatePolicy(QUIET_A, cover(2), 1, { holdDays: 7, riseFactor: 2 })).toMatchObject({ caught: 1, inspections: 4, caughtPer100: 25 });
  });
  it('a failure within coverDays of the inspection is caught', () => {
    expect(
      simulatePolicy(
        log([
          [0, 'b', 0, 0.5],
          [3, 'b', 1, 0.5],
        ]),
        cover(3),
        1,
        { holdDays: 0, riseFactor: 2 },
      ).caught,
    ).toBe(1);
    expect(
      simulatePolicy(
        log([
          [0, 'b', 0, 0.5],
          [4, 'b', 1, 0.5],
        ]),
        cover(3),
        1,
        { holdDays: 7, riseFactor: 2 },
      ).caught,
    ).toBe(0);
  });
  it('a rise by the factor brings a held device back early', () => {
    const rows = log([
      [0, 'a', 0, 0.2],
      [0, 'b', 0, 0.1],
      [1, 'a', 0, 0.39],
      [1, 'b', 0, 0.1],
      [2, 'a', 1, 0.4],
      [2, 'b', 0, 0.1],
    ]);
    expect(simulatePolicy(rows, cover(0), 1, { holdDays: 7, riseFactor: 2 })).toMatchObject({ caught: 1, inspections: 3 });
    expect(simulatePolicy(rows, cover(0), 1, { holdDays: 7, riseFactor: 3 })).toMatchObject({ caught: 0, inspections: 2 });
  });
  it('equal risks are taken in the order of the rows', () => {
    expect(
      simulatePolicy(
        log([
          [0, 'z', 1, 0.5],
          [0, 'a', 0, 0.5],
        ]),
        cover(0),
        1,
        { holdDays: 0, riseFactor: 2 },
      ).caught,
    ).toBe(1);
    expect(
      simulatePolicy(
        log([
          [0, 'a', 0, 0.5],
          [0, 'z', 1, 0.5],
        ]),
        cover(0),
        1,
        { holdDays: 0, riseFactor: 2 },
      ).caught,
    ).toBe(0);
  });
  it('a fault found does not hold the device back', () => {
    const rows = log([
      [0, 'b', 0, 0.9],
      [1, 'b', 1, 0.9],
      [0, 'c', 0, 0.1],
      [1, 'c', 0, 0.1],
    ]);
    expect(simulatePolicy(rows, cover(3), 1, { holdDays: 7, riseFactor: 2 })).toMatchObject({ caught: 1, inspections: 2 });
  });
  it('the table pairs every declared K with no hold-back and each declared length', () => {
    const t = policyTable(QUIET_A, { ...spec, coverDays: 2, evaluate: { k: [1, 2], holdDays: [3, 7] } });
    expect(t.map((r) => [r.k, r.holdDays])).toEqual([
      [1, 0],
      [1, 3],
      [1, 7],
      [2, 0],
      [2, 3],
      [2, 7],
    ]);
    expect(t[3]).toMatchObject({ caught: 1, inspections: 20, caughtPer100: 5 });
  });
});

describe('the hold-back rule', () => {
  const day = parseIsoDay('2015-10-30')!;
  const nothing = { entity: 'S1F0', day, outcome: 'nothing_found', note: '' };
  const rule = { holdDays: 7, riseFactor: 2 };
  it('holds a device inspected with nothing found from the inspection day to day + H, and says why', () => {
    expect(holdState(spec, rule, nothing, day, 0.3, 0.3)?.held).toBe(true);
    const s = holdState(spec, rule, nothing, day + 7, 0.3, 0.3)!;
    expect(s.held).toBe(true);
    expect(holdReason(spec, s)).toBe('inspected 2015-10-30, nothing found: held back until 2015-11-06');
    expect(holdState(spec, rule, nothing, day + 8, 0.3, 0.3)).toBeNull();
    expect(holdState(spec, rule, nothing, day - 1, 0.3, 0.3)).toBeNull();
  });
  it('lets it back early when its risk reaches the factor times its risk at the inspection', () => {
    expect(holdState(spec, rule, nothing, day + 2, 0.3, 0.59)?.held).toBe(true);
    const s = holdState(spec, rule, nothing, day + 2, 0.3, 0.6)!;
    expect(s).toMatchObject({ held: false, backEarly: true });
    expect(holdReason(spec, s)).toBe('inspected 2015-10-30, nothing found: back before 2015-11-06 because its risk has risen since');
    expect(holdState(spec, rule, nothing, day + 2, null, 0.99)?.held).toBe(true);
  });
  it('does not hold back after a fault was found, a replacement or a failure, nor with H = 0', () => {
    for (const outcome of ['fixed', 'replaced', 'failed']) expect(holdState(spec, rule, { ...nothing, outcome }, day + 1, 0.3, 0.3)).toBeNull();
    expect(holdState(spec, { ...rule, holdDays: 0 }, nothing, day, 0.3, 0.3)).toBeNull();
  });
  it('uses the latest inspection on or before the day', () => {
    const later = { ...nothing, day: day + 3, outcome: 'fixed' };
    expect(latestInspections([later, nothing], day + 2).get('S1F0')).toBe(nothing);
    expect(latestInspections([nothing, later], day + 3).get('S1F0')).toBe(later);
  });
  it('reads outcome words of maintenance exports', () => {
    expect(outcomeOf(spec, 'No Fault Found')?.id).toBe('nothing_found');
    expect(outcomeOf(spec, 'nothing_found')?.id).toBe('nothing_found');
    expect(outcomeOf(spec, 'Fault found and fixed')?.id).toBe('fixed');
    expect(outcomeOf(spec, 'REPLACED')?.id).toBe('replaced');
    expect(outcomeOf(spec, 'maybe')).toBeNull();
  });
});

const dataFile = process.env.DATA_DIR ? `${process.env.DATA_DIR}/device_failure.csv` : null;
const modelId = getDomain('device').historyModelIds[0]!;
const oofPath = new URL(`training/golden/oof-${modelId}.json`, repoRoot);
const haveData = !!dataFile && existsSync(dataFile);
if (!haveData)
  console.warn('SKIPPED fleet-policy golden test: DATA_DIR is not set or has no device_failure.csv (the days and devices of the OOF rows)');

describe.skipIf(!haveData)(`${modelId}: the manifest's policy table, recomputed from the out-of-fold file (DATA_DIR)`, () => {
  it('matches training row for row', () => {
    const oof = JSON.parse(readFileSync(oofPath, 'utf8')) as { y: string; p: number[] };
    const rows = Papa.parse<string[]>(readFileSync(dataFile!, 'utf8'), { skipEmptyLines: true }).data;
    const header = rows.shift()!;
    const [iDate, iDevice] = [header.indexOf('date'), header.indexOf('device')];
    // device_failure.csv has no reading set aside by the duplicate rule: OOF row i is data row i.
    expect(rows.length).toBe(oof.p.length);
    const ids = new Map<string, number>();
    const policyLog: PolicyLog = {
      day: rows.map((r) => parseIsoDay(r[iDate]!)!),
      entity: rows.map((r) => ids.get(r[iDevice]!) ?? (ids.set(r[iDevice]!, ids.size), ids.size - 1)),
      label: Array.from(oof.y, Number),
      p: oof.p,
    };
    const expected = readManifest().models.find((m) => m.id === modelId)!.fleet!.policy!;
    expect(expected.cover_days).toBe(spec.coverDays);
    expect(expected.rise_factor).toBe(spec.riseFactor);
    const got = policyTable(policyLog, spec);
    expect(got.map((r) => [r.k, r.holdDays, r.failures, r.caught, r.inspections])).toEqual(
      expected.rows.map((r) => [r.k, r.hold_days, r.failures, r.caught, r.inspections]),
    );
    got.forEach((r, i) => expect(r.caughtPer100).toBeCloseTo(expected.rows[i]!.caught_per_100_inspections, 2));
    // The figures the issue measured with K = 10: 69 of 106 without hold-back, 88 with 7 days.
    const k10 = got.filter((r) => r.k === 10);
    expect(k10.find((r) => r.holdDays === 0)!.caught).toBeLessThan(k10.find((r) => r.holdDays === 7)!.caught);
  });
});
