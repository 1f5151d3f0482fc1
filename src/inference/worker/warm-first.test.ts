// warmFirst: one throwaway row through each model of the first view, so that the first
// prediction a person asks for runs on compiled code; a model that fails is skipped.
import { describe, expect, it, vi } from 'vitest';
import type { ModelEntry } from '@/domain/manifest';
import { engine, heartModels, manifest } from '@/test/worker-models';
import { warmFirst, type LoadedModels } from './load-models';

const loaded = (first: readonly ModelEntry[]) => ({ manifest, engine, first }) as Partial<LoadedModels> as LoadedModels;

describe('warmFirst', () => {
  it('runs one row through each first-view model once, and the next prediction gets the same answer as without it', async () => {
    const row = (m: ModelEntry) => new Float32Array(m.features.length).fill(1);
    const before = await engine.runMatrix(heartModels[0]!, row(heartModels[0]!), 1);
    const spy = vi.spyOn(engine, 'runMatrix');
    await warmFirst(loaded(heartModels));
    expect(spy.mock.calls.map(([m, data, n]) => [m.id, data.length, n])).toEqual(heartModels.map((m) => [m.id, m.features.length, 1]));
    spy.mockRestore();
    const after = await engine.runMatrix(heartModels[0]!, row(heartModels[0]!), 1);
    expect(after.p1).toEqual(before.p1);
  });

  it('skips a model that cannot run and still warms the others', async () => {
    const broken = { ...heartModels[0]!, id: 'missing', file: 'missing.onnx' };
    const spy = vi.spyOn(engine, 'runMatrix');
    await expect(warmFirst(loaded([broken, heartModels[1]!]))).resolves.toBeUndefined();
    expect(spy.mock.calls.map(([m]) => m.id)).toEqual(['missing', heartModels[1]!.id]);
    spy.mockRestore();
  });
});
