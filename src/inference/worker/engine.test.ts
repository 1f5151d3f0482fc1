// The inference core the worker uses (Engine: checksum, session, feature order, outputs),
// exercised in Node with the same onnxruntime-web engine as the browser.
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { readGolden, readManifest, readModelBytes } from '@/test/golden';
import { Engine } from './engine';

ort.env.wasm.numThreads = 1;

const manifest = readManifest();
const fromDisk = readModelBytes;

describe('Engine', () => {
  it.each(manifest.models.map((m) => [m.id, m] as const))('%s: records in any key order give scikit-learn probabilities', async (_id, model) => {
    const engine = new Engine(ort, fromDisk);
    const g = readGolden(model.id);
    // Keys reversed: the engine must order values by the manifest, not by the object.
    const rows = g.inputs.slice(0, 200).map((x) => Object.fromEntries(g.features.map((f, j) => [f, x[j]!]).reverse()));
    const out = await engine.runRows(model, rows);
    rows.forEach((_, i) => {
      expect(Math.abs(out.p1[i]! - g.probabilities[i]![1])).toBeLessThanOrEqual(1e-5);
      expect(out.labels[i]).toBe(g.labels[i]);
    });
  });

  it('creates one session per model and reuses it', async () => {
    let fetches = 0;
    const engine = new Engine(ort, (f) => {
      fetches++;
      return fromDisk(f);
    });
    const m = manifest.models[0]!;
    const [a, b] = await Promise.all([engine.session(m), engine.session(m)]);
    expect(a).toBe(b);
    expect(fetches).toBe(1);
  });

  it('refuses a model file whose sha256 differs from the manifest, and predicts nothing', async () => {
    const m = manifest.models.find((x) => x.id === 'device-lr')!;
    const engine = new Engine(ort, async (f) => {
      const bytes = new Uint8Array(await fromDisk(f));
      bytes[bytes.length - 1]! ^= 1;
      return bytes.buffer;
    });
    const row = Object.fromEntries(m.features.map((f) => [f.name, f.median]));
    await expect(engine.runRows(m, [row])).rejects.toThrow(/does not match the manifest/);
  });

  it('names a missing input', async () => {
    const m = manifest.models.find((x) => x.id === 'device-lr')!;
    const engine = new Engine(ort, fromDisk);
    await expect(engine.runRows(m, [{ metric1: 1 }])).rejects.toThrow('Missing value for model input "metric2"');
  });
});
