import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  accuracy,
  averagePrecision,
  calibration,
  confusionAt,
  downsample,
  evaluate,
  f1,
  mcc,
  prCurve,
  precision,
  recall,
  rocAuc,
  rocCurve,
  specificity,
} from '@/domain/metrics';
import { z } from '@/domain/zod';

/** Absolute tolerance against scikit-learn: both sides are float64 sums in a different order (~1e-15). */
const TOL = 1e-9;

function near(actual: number | null, expected: number | null, what: string) {
  if (expected === null) return expect(actual, what).toBeNull();
  expect(actual, what).not.toBeNull();
  expect(Math.abs(actual! - expected), `${what}: ${actual} vs scikit-learn ${expected}`).toBeLessThanOrEqual(TOL);
}

describe('hand-checkable cases', () => {
  // Positives score {0.9, 0.8, 0.5}, negatives {0.5, 0.2}: of 6 pairs, 5 are ordered and 1 tied.
  const y = [1, 1, 0, 0, 1];
  const p = [0.8, 0.5, 0.5, 0.2, 0.9];

  it('ROC AUC counts a tie as half a pair', () => {
    near(rocAuc(y, p), 5.5 / 6, 'roc_auc');
  });

  it('average precision is the step sum over distinct thresholds (tied scores enter together)', () => {
    // Thresholds 0.9, 0.8, 0.5: recall steps of 1/3 at precision 1, 1, 3/4.
    near(averagePrecision(y, p), (1 + 1 + 0.75) / 3, 'ap');
  });

  it('all-equal scores: ROC AUC 0.5, average precision = share of positives', () => {
    near(rocAuc([0, 1, 0, 1, 1], [0.4, 0.4, 0.4, 0.4, 0.4]), 0.5, 'roc_auc');
    near(averagePrecision([0, 1, 0, 1, 1], [0.4, 0.4, 0.4, 0.4, 0.4]), 0.6, 'ap');
  });

  it('perfect and perfectly wrong separation', () => {
    near(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]), 1, 'roc_auc');
    near(averagePrecision([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]), 1, 'ap');
    near(rocAuc([1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9]), 0, 'roc_auc');
    near(averagePrecision([1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9]), 0.5 * (1 / 3) + 0.5 * 0.5, 'ap');
  });

  it('flags p >= threshold and derives the ratios from the confusion matrix', () => {
    const c = confusionAt(y, p, 0.5);
    expect(c).toEqual({ tn: 1, fp: 1, fn: 0, tp: 3 });
    expect(precision(c)).toBe(0.75);
    expect(recall(c)).toBe(1);
    expect(specificity(c)).toBe(0.5);
    expect(accuracy(c)).toBe(0.8);
    near(f1(c), (2 * 0.75 * 1) / 1.75, 'f1');
    near(mcc(c), 3 / Math.sqrt(4 * 3 * 2 * 1), 'mcc');
  });

  it('accepts typed arrays (Int8Array labels, Float32Array scores)', () => {
    near(rocAuc(Int8Array.from(y), Float32Array.from(p)), 5.5 / 6, 'roc_auc');
  });

  it('one class only: ROC AUC and PR AUC null, with a sentence saying why', () => {
    const r = evaluate([0, 0, 0], [0.1, 0.5, 0.9], 0.5);
    expect(r.metrics.roc_auc).toBeNull();
    expect(r.metrics.pr_auc).toBeNull();
    expect(r.roc).toEqual([]);
    expect(r.notes[0]).toBe('The label column holds class 0 (no positives) only, so ROC AUC is not defined, nor PR AUC.');
    const allPos = evaluate([1, 1], [0.1, 0.9], 0.5);
    expect(allPos.metrics.roc_auc).toBeNull();
    expect(allPos.metrics.pr_auc).toBe(1);
  });

  it('0/0 ratios are 0 (scikit-learn zero_division default), each with a note', () => {
    const r = evaluate([0, 1, 0, 1], [0.1, 0.2, 0.3, 0.4], 0.9);
    expect(r.metrics).toMatchObject({ precision: 0, f1: 0, mcc: 0, sensitivity: 0, flag_rate: 0, accuracy: 0.5 });
    expect(r.notes).toEqual([
      'No row is flagged at the threshold 0.9: precision and F1 are 0/0, reported as 0 (as scikit-learn does by default, with a warning).',
      'MCC is reported as 0 because a row or column of the confusion matrix is empty (as scikit-learn does).',
    ]);
  });

  it('refuses mismatched lengths, labels other than 0/1 and non-finite scores', () => {
    expect(() => rocAuc([0, 1], [0.5])).toThrow('y_true has 2 values but p has 1');
    expect(() => rocAuc([0, 2], [0.5, 0.5])).toThrow('y_true[1] is 2; expected 0 or 1');
    expect(() => rocAuc([0, 1], [0.5, Number.NaN])).toThrow('p[1] is NaN; expected a finite number');
  });
});

describe('curves and calibration', () => {
  it('ROC runs from (0,0) to (1,1), PR from (0,1) to full recall', () => {
    const y = [1, 1, 0, 0, 1];
    const p = [0.8, 0.5, 0.5, 0.2, 0.9];
    expect(rocCurve(y, p)).toEqual([
      { fpr: 0, tpr: 0 },
      { fpr: 0, tpr: 2 / 3 },
      { fpr: 0.5, tpr: 1 },
      { fpr: 1, tpr: 1 },
    ]);
    expect(prCurve(y, p)).toEqual([
      { recall: 0, precision: 1 },
      { recall: 1 / 3, precision: 1 },
      { recall: 2 / 3, precision: 1 },
      { recall: 1, precision: 0.75 },
    ]);
  });

  it('downsamples long curves to at most 200 points, keeping both ends', () => {
    const n = 20000;
    const y = Array.from({ length: n }, (_, i) => ((i * 7919) % 3 === 0 ? 1 : 0));
    const p = Array.from({ length: n }, (_, i) => ((i * 104729) % n) / n);
    for (const c of [rocCurve(y, p), prCurve(y, p)]) expect(c.length).toBeLessThanOrEqual(200);
    const roc = rocCurve(y, p);
    expect(roc[0]).toEqual({ fpr: 0, tpr: 0 });
    expect(roc.at(-1)).toEqual({ fpr: 1, tpr: 1 });
    const line = Array.from({ length: 1000 }, (_, i) => i);
    const d = downsample(line, (v) => [v, 0], 11);
    expect(d).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 999]);
  });

  it('calibration: 10 bins [k/10, (k+1)/10), last closed, as training/ builds the model card table', () => {
    // 0.1, 0.3 and 0.5 sit on edges and go to the bin above; 1 goes to the last bin.
    const bins = calibration([1, 0, 1, 1, 0, 0, 1], [0.5, 0.1, 0.3, 1, 0, 0.45, 0.05], 10);
    expect(bins).toHaveLength(10);
    expect(bins[0]).toEqual({ bin_lo: 0, bin_hi: 0.1, count: 2, mean_predicted: 0.025, observed: 0.5 });
    expect(bins[1]).toEqual({ bin_lo: 0.1, bin_hi: 0.2, count: 1, mean_predicted: 0.1, observed: 0 });
    expect(bins[3]).toMatchObject({ bin_lo: 0.3, count: 1, mean_predicted: 0.3, observed: 1 });
    expect(bins[4]).toMatchObject({ bin_lo: 0.4, bin_hi: 0.5, count: 1, mean_predicted: 0.45, observed: 0 });
    expect(bins[5]).toMatchObject({ bin_lo: 0.5, count: 1, observed: 1 });
    expect(bins[9]).toMatchObject({ bin_lo: 0.9, bin_hi: 1, count: 1, mean_predicted: 1, observed: 1 });
    expect(bins[6]).toEqual({ bin_lo: 0.6, bin_hi: 0.7, count: 0, mean_predicted: null, observed: null });
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(7);
  });

  it('evaluates 124,494 rows in one sort (curves of at most 200 points)', () => {
    const n = 124494;
    const y = new Int8Array(n);
    const p = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = i % 1174 === 0 ? 1 : 0;
      p[i] = Math.round(((i * 2654435761) % 1000) / 10 + (y[i] ? 20 : 0)) / 120;
    }
    // Speed is the bench's to show (a timed assertion is flaky on a busy machine); the curves stay small.
    const r = evaluate(y, p, 0.5);
    expect(r.n).toBe(n);
    expect(r.roc.length).toBeLessThanOrEqual(200);
  });
});

// Golden figures written by the training pipeline with scikit-learn for the same inputs.
const goldenPath = fileURLToPath(new URL('../../training/golden/metrics.json', import.meta.url));
const num = z.number();
const goldenCase = z.object({
  name: z.string(),
  y_true: z.array(z.union([z.literal(0), z.literal(1)])),
  p: z.array(num),
  threshold: num,
  roc_auc: num.nullable(),
  pr_auc: num.nullable(),
  mcc: num,
  f1: num,
  precision: num,
  recall: num,
  accuracy: num,
  confusion: z.object({ tn: z.number().int(), fp: z.number().int(), fn: z.number().int(), tp: z.number().int() }),
});
// training/ writes { note, cases: [...] }; a bare array of cases is accepted too.
const goldenSchema = z.union([z.array(goldenCase), z.object({ cases: z.array(goldenCase) }).transform((g) => g.cases)]);

describe('against scikit-learn golden figures (training/golden/metrics.json)', () => {
  it('matches roc_auc_score, average_precision_score, MCC, F1, precision, recall, accuracy and the confusion matrix', () => {
    if (!existsSync(goldenPath)) {
      throw new Error(
        `Golden metrics file not found: ${goldenPath}. It is written and committed by the training pipeline ` +
          '(npm run train); these tests compare the app with scikit-learn and must not pass without it.',
      );
    }
    // Python's json writes NaN for an undefined ROC AUC; read it as null.
    const parsed = goldenSchema.safeParse(JSON.parse(readFileSync(goldenPath, 'utf8').replace(/\bNaN\b/g, 'null')));
    if (!parsed.success) throw new Error(`${goldenPath} has an unexpected shape: ${z.prettifyError(parsed.error)}`);
    expect(parsed.data.length, 'golden cases').toBeGreaterThan(0);
    for (const g of parsed.data) {
      const r = evaluate(g.y_true, g.p, g.threshold);
      const positives = g.y_true.filter((v) => v === 1).length;
      expect(r.confusion, `${g.name}: confusion`).toEqual(g.confusion);
      near(r.metrics.roc_auc, g.roc_auc, `${g.name}: roc_auc`);
      // scikit-learn 1.2 gives -0.0 (and a warning) for PR AUC without positives; we give null.
      near(r.metrics.pr_auc, positives === 0 && g.pr_auc === 0 ? null : g.pr_auc, `${g.name}: pr_auc`);
      near(r.metrics.mcc, g.mcc, `${g.name}: mcc`);
      near(r.metrics.f1, g.f1, `${g.name}: f1`);
      near(r.metrics.precision, g.precision, `${g.name}: precision`);
      near(r.metrics.sensitivity, g.recall, `${g.name}: recall`);
      near(r.metrics.accuracy, g.accuracy, `${g.name}: accuracy`);
    }
  });
});
