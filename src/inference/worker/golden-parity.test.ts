// The ONNX files in public/models, run by onnxruntime-web (the browser's engine, here in
// Node), must reproduce scikit-learn: probabilities within 1e-5 and labels exactly, on the
// golden rows written by training/train.py. Also checks each file against its manifest entry.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '@/domain/manifest';
import { readGolden } from '@/test/golden';
import { SESSION_OPTIONS } from './engine';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const modelsDir = `${root}public/models/`;

// One thread: no worker threads needed in Node, and results do not depend on it.
ort.env.wasm.numThreads = 1;

const PROBA_TOLERANCE = 1e-5;
const MAX_TOTAL_BYTES = 6 * 1024 * 1024;

const manifest = parseManifest(JSON.parse(readFileSync(`${modelsDir}manifest.json`, 'utf8')));

describe('manifest', () => {
  it('lists the seven models, the default of each domain first', () => {
    expect(manifest.models.map((m) => m.id)).toEqual([
      'heart-baseline',
      'heart-lr',
      'heart-rf-seed',
      'device-rf',
      'device-lr',
      'device-dt-seed',
      // The Fleet view's model: history features, not one row's fields (not a default).
      'device-fleet',
    ]);
    expect(manifest.models.filter((m) => m.default).map((m) => m.id)).toEqual(['heart-baseline', 'device-rf']);
  });

  it('keeps all model files together under 6 MB', () => {
    const total = manifest.models.reduce((sum, m) => sum + readFileSync(modelsDir + m.file).byteLength, 0);
    expect(total).toBeLessThan(MAX_TOTAL_BYTES);
  });
});

describe.each(manifest.models.map((m) => [m.id, m] as const))('%s', (_id, entry) => {
  const bytes = readFileSync(modelsDir + entry.file);

  it('has the size and sha256 written in the manifest', () => {
    expect(bytes.byteLength).toBe(entry.bytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(entry.sha256);
  });

  it('matches scikit-learn on the golden rows', async () => {
    const golden = readGolden(entry.id);
    expect(golden.model).toBe(entry.id);
    expect(golden.features).toEqual(entry.features.map((f) => f.name));

    // As the app makes them (engine.ts).
    const session = await ort.InferenceSession.create(new Uint8Array(bytes), SESSION_OPTIONS);
    try {
      expect(session.inputNames).toEqual([entry.input_name]);
      expect([...session.outputNames].sort()).toEqual([entry.output_names.label, entry.output_names.probabilities].sort());

      const n = golden.inputs.length;
      const f = golden.features.length;
      const data = new Float32Array(n * f);
      golden.inputs.forEach((row, i) => data.set(row, i * f));
      const out = await session.run({ [entry.input_name]: new ort.Tensor('float32', data, [n, f]) });
      const probs = out[entry.output_names.probabilities];
      const labels = out[entry.output_names.label];
      if (!probs || !labels) throw new Error('missing output');
      expect(probs.type).toBe('float32');
      expect(probs.dims).toEqual([n, 2]);
      expect(labels.type).toBe('int64');
      expect(labels.dims).toEqual([n]);

      const p = probs.data as Float32Array;
      const l = labels.data as BigInt64Array;
      let maxDiff = 0;
      let worst = -1;
      const wrongLabels: string[] = [];
      for (let i = 0; i < n; i++) {
        const expected = golden.probabilities[i] ?? [NaN, NaN];
        for (let c = 0; c < 2; c++) {
          const d = Math.abs((p[2 * i + c] ?? NaN) - expected[c]!);
          if (!(d <= maxDiff)) {
            maxDiff = d;
            worst = i;
          }
        }
        if (l[i] !== BigInt(golden.labels[i]!)) wrongLabels.push(`row ${golden.rows[i]}: ${l[i]} != ${golden.labels[i]}`);
      }
      expect(wrongLabels.slice(0, 5)).toEqual([]);
      expect(maxDiff, `worst at data row ${golden.rows[worst]}`).toBeLessThanOrEqual(PROBA_TOLERANCE);
    } finally {
      await session.release();
    }
  });
});
