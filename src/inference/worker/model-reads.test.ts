// A model entry's `reads` in a declaration says a model ignores some of the inputs its graph takes (the
// form then predicts without them). Checked here against the ONNX file itself: changing an
// unread input to anything within its training range never changes the probability.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { domainList } from '@/domain/domains';
import { readGolden, readManifest } from '@/test/golden';

ort.env.wasm.numThreads = 1;
const modelsDir = fileURLToPath(new URL('../../../public/models/', import.meta.url));
const manifest = readManifest();
const cases = domainList.flatMap((d) => Object.entries(d.modelReads).map(([id, reads]) => [id, reads] as const));

describe.each(cases)('%s reads only its declared inputs', (id, reads) => {
  it('gives the same probability whatever the unread inputs hold', async () => {
    const entry = manifest.models.find((m) => m.id === id)!;
    const names = entry.features.map((f) => f.name);
    const unread = names.map((n, j) => [n, j] as const).filter(([n]) => !reads.includes(n));
    expect(unread.length).toBeGreaterThan(0);
    const golden = readGolden(id);
    const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(modelsDir + entry.file)));
    const run = async (rows: number[][]) => {
      const data = new Float32Array(rows.flat());
      const out = await session.run({ [entry.input_name]: new ort.Tensor('float32', data, [rows.length, names.length]) });
      return out[entry.output_names.probabilities]!.data as Float32Array;
    };
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: golden.inputs.length - 1 }),
          fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: unread.length, maxLength: unread.length }),
          async (i, u) => {
            const row = golden.inputs[i]!;
            const changed = [...row];
            unread.forEach(([, j], k) => {
              const f = entry.features[j]!;
              changed[j] = f.min + u[k]! * (f.max - f.min);
            });
            const [a, b] = [await run([row]), await run([changed])];
            expect(b[1]).toBe(a[1]);
          },
        ),
        { numRuns: 200 },
      );
    } finally {
      await session.release();
    }
  });
});
