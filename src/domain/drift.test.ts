import { describe, expect, it } from 'vitest';
import { compareWithCard, FALLBACK_SD } from '@/domain/drift';
import type { Evaluation } from '@/domain/manifest';
import { evaluate } from '@/domain/metrics';

const card: Evaluation['metrics'] = {
  roc_auc: { mean: 0.85, sd: 0.025 },
  mcc: { mean: 0.4, sd: 0.05 },
  f1: { mean: 0.6, sd: null },
  accuracy: { mean: 0.8, sd: 0.02 },
};

describe('compareWithCard', () => {
  it('marks a metric outside mean ± 2 sd with a plain sentence', () => {
    const [roc] = compareWithCard({ roc_auc: 0.71 }, card);
    expect(roc).toMatchObject({ name: 'roc_auc', observed: 0.71, cardMean: 0.85, cardSd: 0.025, outside: true });
    expect(roc!.lo).toBeCloseTo(0.8, 12);
    expect(roc!.hi).toBeCloseTo(0.9, 12);
    expect(roc!.sentence).toBe(
      "ROC AUC on this file is 0.710, below the model card's range of 0.800 to 0.900 (mean 0.850 ± 2 × sd 0.025): this may indicate drift or a different population.",
    );
  });

  it('leaves metrics inside the band (edges included) without a sentence', () => {
    const rows = compareWithCard({ roc_auc: 0.89, mcc: 0.3, accuracy: 0.8 }, card);
    expect(rows.map((r) => [r.name, r.outside, r.sentence])).toEqual([
      ['roc_auc', false, null],
      ['mcc', false, null],
      ['accuracy', false, null],
    ]);
  });

  it('uses a fixed ± 2 × FALLBACK_SD band when the card has no sd, and says so', () => {
    const [inside] = compareWithCard({ f1: 0.6 + 2 * FALLBACK_SD - 1e-9 }, card);
    expect(inside).toMatchObject({ outside: false, sdUsed: FALLBACK_SD, cardSd: null });
    const [out] = compareWithCard({ f1: 0.7 }, card);
    expect(out!.outside).toBe(true);
    expect(out!.sentence).toBe(
      "F1 on this file is 0.700, above the model card's 0.600 ± 0.050 (the card gives no spread for F1, so a fixed band of ± 0.050 is used): this may indicate drift or a different population.",
    );
    expect(compareWithCard({ f1: 0.7 }, card, { fallbackSd: 0.1 })[0]!.outside).toBe(false);
  });

  it('never flags a metric that could not be computed, and skips metrics missing on either side', () => {
    const rows = compareWithCard({ roc_auc: null, pr_auc: 0.3 }, card);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: 'roc_auc', observed: null, outside: false, sentence: null });
  });

  it('takes evaluate() output directly', () => {
    const r = evaluate([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9], 0.5);
    const rows = compareWithCard(r.metrics, card);
    expect(rows.map((x) => x.name)).toEqual(['roc_auc', 'mcc', 'f1', 'accuracy']);
    expect(rows.every((x) => x.observed === 1 && x.outside)).toBe(true);
  });
});
