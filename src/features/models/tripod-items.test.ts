// The card's TRIPOD+AI numbers against the checklist (Collins et al., BMJ 2024;385:e078378):
// every number a card claims, and every number a declaration names, is an item of the checklist
// whose topic is what the card shows under it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@/test/golden';
import { itemNumbers, tripodChecklist, tripodItems, type TripodItemId } from './tripod-items';

// What each card item shows, as the checklist topics it must fall under.
const expected: Record<TripodItemId, string[]> = {
  intendedUse: ['3b'],
  eligibility: ['6b'],
  outcome: ['8a'],
  sampleSize: ['10', '21'],
  missing: ['11', '27a'],
  imbalance: ['13'],
  validation: ['12a', '12c'],
  discrimination: ['12e', '23a'],
  calibration: ['12e', '23a'],
  decisionCurve: ['12e', '23a'],
  subgroups: ['23a'],
  output: ['15'],
  limitations: ['26'],
};

describe('TRIPOD+AI item numbers', () => {
  it('the checklist has its 27 items and 52 subitems', () => {
    const keys = Object.keys(tripodChecklist);
    expect(keys).toHaveLength(52);
    expect(new Set(keys.map((k) => k.replace(/[a-g]$/, ''))).size).toBe(27);
  });
  it('every number a card claims is an item of the checklist', () => {
    for (const id of Object.keys(tripodItems) as TripodItemId[]) {
      for (const n of itemNumbers(id)) expect(tripodChecklist, `${id}: ${n}`).toHaveProperty([n]);
      expect(itemNumbers(id)).toEqual(expected[id]);
    }
  });
  it('the topics match what the card shows under them', () => {
    expect(tripodChecklist['3b']).toMatch(/intended purpose and users/);
    expect(tripodChecklist['6b']).toMatch(/eligibility/);
    expect(tripodChecklist['8a']).toMatch(/time horizon/);
    expect(tripodChecklist['11']).toBe('Missing data');
    expect(tripodChecklist['27a']).toMatch(/unavailable input data/);
    expect(tripodChecklist['13']).toBe('Class imbalance');
    expect(tripodChecklist['12e']).toMatch(/performance measures/);
    expect(tripodChecklist['23a']).toMatch(/subgroups/);
    expect(tripodChecklist['15']).toBe('Model output');
    expect(tripodChecklist['26']).toBe('Limitations');
  });
  it("the numbers a domain declaration names (items that do not apply) are the checklist's", () => {
    for (const d of ['heart', 'device']) {
      const text = readFileSync(new URL(`domains/${d}.json`, repoRoot), 'utf8');
      const named = [...text.matchAll(/"item": "[^"]*"/g)].flatMap((m) => [...m[0].matchAll(/\((\d+[a-g]?)\)/g)].map((x) => x[1]!));
      for (const n of named) expect(tripodChecklist, `${d}: ${n}`).toHaveProperty([n]);
      if (d === 'device') expect(named).toEqual(expect.arrayContaining(['23a', '6c', '19']));
    }
  });
});
