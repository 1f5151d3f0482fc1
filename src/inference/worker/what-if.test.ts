// What-if curves for golden rows: one batched call gives, for each input, exactly what the
// model returns when that input alone is changed (checked row by row through the engine).
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { planWhatIf, splitWhatIf, thresholdForFlagRate } from '@/domain/what-if';
import { readGolden, readManifest, readModelBytes } from '@/test/golden';
import { Engine } from './engine';

ort.env.wasm.numThreads = 1;
const manifest = readManifest();

describe('what-if curves', () => {
  it.each(manifest.models.map((m) => [m.id, m] as const))(
    '%s: each curve point equals a single-row run with that input changed',
    async (_id, model) => {
      const engine = new Engine(ort, readModelBytes);
      const g = readGolden(model.id);
      const values = Object.fromEntries(g.features.map((f, j) => [f, g.inputs[7]![j]!]));
      const plan = planWhatIf(model.features, values, { points: 25 });
      expect(plan.curves.map((c) => c.name)).toEqual(model.features.map((f) => f.name));
      const batched = await engine.runRows(model, plan.rows);
      const curves = splitWhatIf(plan, batched.p1);
      for (const c of curves.filter((_, i) => i % 3 === 0)) {
        for (const pt of [c.points[0]!, c.points[12]!, c.points.at(-1)!].filter(Boolean)) {
          const one = await engine.runRows(model, [{ ...values, [c.name]: pt.x }]);
          expect(Math.abs(one.p1[0]! - pt.p)).toBeLessThanOrEqual(1e-6);
        }
        const f = model.features.find((x) => x.name === c.name)!;
        expect(c.points[0]!.x).toBe(f.p1);
        if (f.p99 > f.p1) expect(c.points.at(-1)!.x).toBeCloseTo(f.p99, 9);
      }
    },
  );

  it('sweeps whole numbers for integer inputs and skips inputs left blank', () => {
    const plan = planWhatIf(
      [
        { name: 'a', unit: '', min: 0, p1: 0, median: 0, p99: 1, max: 1 },
        { name: 'b', unit: '', min: 0, p1: 2, median: 5, p99: 8, max: 9 },
      ],
      { a: 1 },
      { points: 30, integers: new Set(['a']) },
    );
    expect(plan.curves).toEqual([{ name: 'a', xs: [0, 1], value: 1 }]);
    expect(plan.rows).toEqual([{ a: 0 }, { a: 1 }]);
    expect(() => splitWhatIf(plan, [0.5])).toThrow('Expected 2 probabilities, got 1');
  });

  it('picks a threshold by rank from the threshold table', () => {
    const table = [
      { threshold: 0.1, flag_rate: 0.2, precision: 0.1, recall: 0.9 },
      { threshold: 0.3, flag_rate: 0.05, precision: 0.2, recall: 0.6 },
      { threshold: 0.5, flag_rate: 0.01, precision: 0.3, recall: 0.4 },
      { threshold: 0.7, flag_rate: 0.002, precision: 0.5, recall: 0.1 },
    ];
    expect(thresholdForFlagRate(table, 0.01)?.threshold).toBe(0.5);
    expect(thresholdForFlagRate(table, 0.06)?.threshold).toBe(0.3);
    expect(thresholdForFlagRate(table, 0.001)).toBeNull();
  });
});
