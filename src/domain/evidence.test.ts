// Issue 22: the similar-cases lookup, the interval of a risk and its measured validity,
// recomputed here in TypeScript from the golden out-of-fold files and compared with what
// training wrote into the manifest (training/prognos_train/evidence.py computes them in Python).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { patientEvidence, similarRow } from '@/test/evidence';
import { readManifest, repoRoot } from '@/test/golden';
import { evidenceWords, nearestRow, riskInterval, similarCases, similarSentences, wilson } from './evidence';
import { parseCardManifest } from './manifest';

interface Oof {
  y: string;
  p: number[];
  part: number[];
  row?: number[];
}

const readOof = (id: string) => JSON.parse(readFileSync(new URL(`training/golden/oof-${id}.json`, repoRoot), 'utf8')) as Oof;
const cards = parseCardManifest(JSON.parse(readFileSync(new URL('public/models/manifest.json', repoRoot), 'utf8')));
const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** One out-of-fold probability per row: the mean of its held-out predictions (as training does). */
function perRow(oof: Oof): { y: number[]; p: number[] } {
  const rows = oof.row ?? oof.p.map((_, i) => i);
  const n = Math.max(...rows) + 1;
  const sum = new Array<number>(n).fill(0);
  const count = new Array<number>(n).fill(0);
  const y = new Array<number>(n).fill(0);
  rows.forEach((r, i) => {
    sum[r]! += oof.p[i]!;
    count[r]! += 1;
    y[r] = Number(oof.y[i]);
  });
  return { y, p: sum.map((s, i) => r6(s / count[i]!)) };
}

/** The interval of a risk from some cases: the Wilson interval of the events among those within `band` of it. */
function bandInterval(s: number[], y: number[], x: number, band: number): [number, number] {
  const near = s.map((_, i) => i).filter((i) => Math.abs(s[i]! - x) <= band + 1e-12);
  return wilson(
    near.reduce((a, i) => a + y[i]!, 0),
    near.length,
  );
}

describe('the formulas', () => {
  it('Wilson interval on hand cases', () => {
    const [lo, hi] = wilson(5, 10);
    expect(lo).toBeCloseTo(0.236593, 5);
    expect(hi).toBeCloseTo(0.763407, 5);
    expect(wilson(0, 10)[1]).toBeCloseTo(0.277533, 5);
    expect(wilson(0, 0)).toEqual([0, 1]);
  });

  it('reads the nearest grid row, clamped to the grid', () => {
    const rows = [0, 0.5, 1].map((risk) => ({ risk }));
    expect(nearestRow(rows, 0.5, 0.24).risk).toBe(0);
    expect(nearestRow(rows, 0.5, 0.26).risk).toBe(0.5);
    expect(nearestRow(rows, 0.5, 1.7).risk).toBe(1);
  });

  it('says so when few or no cases are close', () => {
    const e = patientEvidence([similarRow(0, 0, 0, 0, 1), similarRow(0.5, 12, 6, 0.25, 0.75, 0.45, 0.55), similarRow(1, 40, 30, 0.6, 0.86, 0.95, 1)]);
    expect(similarSentences(e, 0.02).sentence).toMatch(/^None of the patients in the study/);
    const small = similarSentences(e, 0.5);
    expect(small.sentence).toBe(
      'Of the 12 patients in the study whose out-of-fold risk was close to this one (within 5 points), 6 died (50 %, 95 % interval 25–75 %).',
    );
    expect(small.caution).toMatch(/^Only 12 patients: too few/);
    expect(similarSentences(e, 0.98).caution).toBeNull();
    expect(similarCases(e, 0.98).per100).toBe(75);
    expect(riskInterval(e, 0.5)).toBeNull();
    const withInterval = { ...e, interval: { method: 'm', sentence: 'Interval: s.' } };
    expect(riskInterval(withInterval, 0.52)).toEqual({ low: 0.25, high: 0.75, sentence: 'Interval: s.' });
  });
});

const withEvidence = cards.models.filter((m) => m.evaluation.out_of_fold);

describe.skipIf(withEvidence.length === 0)('recomputed from the out-of-fold files', () => {
  const core = readManifest();
  for (const m of cards.models.filter((x) => x.evidence)) {
    const e = m.evidence!;
    const { y, p } = perRow(readOof(m.id));

    it(`${m.id}: the similar-cases counts and Wilson intervals, counting each patient once`, () => {
      expect(y.length).toBe(m.training_data.rows);
      expect(core.models.find((c) => c.id === m.id)?.evidence).toEqual(e); // the result reads it from the core manifest
      for (const r of e.similar.rows) {
        const near = p.map((v, i) => ({ v, y: y[i]! })).filter((c) => Math.abs(c.v - r.risk) <= e.similar.band + 1e-12);
        const k = near.reduce((a, c) => a + c.y, 0);
        expect([r.n, r.events]).toEqual([near.length, k]);
        const [lo, hi] = wilson(k, near.length);
        expect(r.low).toBeCloseTo(lo, 5);
        expect(r.high).toBeCloseTo(hi, 5);
      }
    });

    it(`${m.id}: the interval of a risk is the similar cases' Wilson interval`, () => {
      for (const r of e.similar.rows) {
        const [lo, hi] = bandInterval(p, y, r.risk, e.similar.band);
        expect(riskInterval(e, r.risk)).toEqual({ low: r.low, high: r.high, sentence: e.interval!.sentence });
        expect(r.low).toBeCloseTo(lo, 5);
        expect(r.high).toBeCloseTo(hi, 5);
      }
    });

    it(`${m.id}: the interval's measured validity on held-out patients (computed in Python) holds here`, () => {
      const v = m.evaluation.out_of_fold!.interval_validity!;
      const fold = [...v.fold].map(Number);
      const pairs = p.map((x, i) => {
        const train = p.map((_, j) => j).filter((j) => fold[j] !== fold[i]);
        const [a, b] = bandInterval(
          train.map((j) => p[j]!),
          train.map((j) => y[j]!),
          x,
          e.similar.band,
        );
        return { i, low: r6(a), high: r6(b) };
      });
      pairs.sort((a, b) => (a.low + a.high) / 2 - (b.low + b.high) / 2 || a.i - b.i);
      // numpy.array_split: the first (n mod g) groups get one more
      const g = v.groups.length;
      const size = Math.floor(pairs.length / g);
      let start = 0;
      let inside = 0;
      v.groups.forEach((want, k) => {
        const n = size + (k < pairs.length % g ? 1 : 0);
        const part = pairs.slice(start, start + n);
        start += n;
        const events = part.reduce((a, c) => a + y[c.i]!, 0);
        const lo = part.reduce((a, c) => a + c.low, 0) / n;
        const hi = part.reduce((a, c) => a + c.high, 0) / n;
        expect([want.n, want.events]).toEqual([n, events]);
        expect(want.mean_low).toBeCloseTo(lo, 5);
        expect(want.mean_high).toBeCloseTo(hi, 5);
        const isInside = lo - 1e-9 <= events / n && events / n <= hi + 1e-9;
        expect(want.inside).toBe(isInside);
        if (isInside) inside++;
      });
      expect(v.inside).toBe(inside);
    });
  }
});

describe('the evidence in words (the FHIR RiskAssessment notes)', () => {
  it('is the similar-patients sentence, its caution if any, then the interval with its method', () => {
    const m = cards.models.find((x) => x.evidence?.interval)!;
    const e = m.evidence!;
    for (const p of [0.05, 0.3, 0.7]) {
      const { sentence, caution } = similarSentences(e, p);
      const i = riskInterval(e, p)!;
      const words = evidenceWords(e, p);
      expect(words[0]).toBe(sentence);
      expect(words.slice(1, -1)).toEqual(caution ? [caution] : []);
      expect(words.at(-1)).toBe(`Interval on this risk: ${Math.round(i.low * 1000) / 10}–${Math.round(i.high * 1000) / 10} %. ${i.sentence}`);
    }
  });
});
