// Nested versus pooled threshold figures, recomputed here from the golden out-of-fold
// predictions (training/golden/oof-<model>.json) and compared with public/models/thresholds.json.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCardManifest } from '@/domain/manifest';
import { readManifest, repoRoot } from '@/test/golden';
import { figuresOf, parseNestedFigures, type Figures } from './nested-figures';
import { nearestChoice, pooledFiguresAt, thresholdChoices, withRates } from './threshold-choices';

interface Oof {
  model: string;
  threshold: number;
  part_thresholds: number[];
  y: string;
  part: number[];
  p: number[];
}

const manifest = readManifest();
const cards = parseCardManifest(JSON.parse(readFileSync(new URL('public/models/manifest.json', repoRoot), 'utf8')));
const file = parseNestedFigures(JSON.parse(readFileSync(new URL('public/models/thresholds.json', repoRoot), 'utf8')));
const readOof = (id: string) => JSON.parse(readFileSync(new URL(`training/golden/oof-${id}.json`, repoRoot), 'utf8')) as Oof;

function close(a: Figures, b: Figures) {
  expect({ tp: a.tp, fp: a.fp, fn: a.fn, tn: a.tn }).toEqual({ tp: b.tp, fp: b.fp, fn: b.fn, tn: b.tn });
  for (const k of ['precision', 'recall', 'flag_rate', 'mcc'] as const) expect(a[k]).toBeCloseTo(b[k], 5);
}

/**
 * Per row, the threshold that flags the top `rate` of its part, as training does: ties at the
 * cut flagged too unless that flags over twice the share asked, then only rows above the cut.
 */
function rankFlags(oof: Oof, rate: number): number[] {
  const cut = new Map<number, number>();
  for (let k = 0; k < oof.part_thresholds.length; k++) {
    const ps = oof.p.filter((_, i) => oof.part[i] === k).sort((a, b) => b - a);
    if (!ps.length) continue;
    const take = Math.max(1, Math.round(rate * ps.length));
    const c = ps[take - 1]!;
    const atOrAbove = ps.filter((x) => x >= c).length;
    // "above the cut" as a threshold: the next representable number after c
    cut.set(k, atOrAbove <= 2 * take ? c : c + Math.max(Number.EPSILON, Math.abs(c) * Number.EPSILON));
  }
  return oof.part.map((k) => cut.get(k) ?? Infinity);
}

describe('nested threshold figures', () => {
  it('cover every model of the manifest, at its shipped threshold', () => {
    expect(file.models.map((m) => m.id).sort()).toEqual(manifest.models.map((m) => m.id).sort());
    for (const m of manifest.models) expect(file.models.find((f) => f.id === m.id)!.threshold).toBe(m.threshold);
  });

  it.each(file.models.map((m) => [m.id, m] as const))('%s: nested and pooled recomputed from the out-of-fold predictions', (id, fig) => {
    const oof = readOof(id);
    const y = Array.from(oof.y, Number);
    expect(y).toHaveLength(oof.p.length);
    expect(oof.part_thresholds).toHaveLength(fig.parts);
    oof.part_thresholds.forEach((t, i) => expect(fig.fold_thresholds[i]).toBeCloseTo(t, 5));
    const nested = figuresOf(y, oof.p, (i) => oof.part_thresholds[oof.part[i]!]!);
    const pooled = figuresOf(y, oof.p, () => oof.threshold);
    close(nested, fig.nested as Figures);
    close(pooled, fig.pooled as Figures);
    const ts = oof.part_thresholds;
    const share = (Math.max(...ts) - Math.min(...ts)) / fig.threshold_spread.median;
    expect(fig.unstable).toBe(share > file.unstable_range_share);
    // The pooled figures of thresholds.json are the manifest's confusion matrix.
    const m = manifest.models.find((x) => x.id === id)!;
    expect({ tp: pooled.tp, fp: pooled.fp, fn: pooled.fn, tn: pooled.tn }).toEqual(m.evaluation.confusion);
    for (const r of fig.rank ?? []) {
      const cut = rankFlags(oof, r.rate);
      close(
        figuresOf(y, oof.p, (i) => cut[i]!),
        r as Figures,
      );
    }
  });

  it('device-rf: the nested recall is far below the pooled one, and its threshold is unstable', () => {
    const f = file.models.find((m) => m.id === 'device-rf')!;
    expect(f.nested.recall).toBeLessThan(f.pooled.recall / 2);
    expect(f.unstable).toBe(true);
    expect(f.calibrated).toBe(false);
    expect(f.rank!.length).toBeGreaterThan(0);
  });
});

describe('threshold control figures', () => {
  it.each(cards.models.map((m) => [m.id, m] as const))('%s: at the default, the pooled table gives the manifest confusion matrix', (_id, m) => {
    const rows = thresholdChoices(m);
    const row = nearestChoice(rows, m.threshold)!;
    expect(row.threshold).toBe(m.threshold);
    expect(pooledFiguresAt(m, row)).toEqual(withRates(m.evaluation.confusion));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.threshold).toBeGreaterThan(rows[i - 1]!.threshold);
  });
});
