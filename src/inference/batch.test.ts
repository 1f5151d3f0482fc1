// The worker's batch path (stream, score, report, download) run in Node with the real
// engine: the same code the browser runs, minus postMessage.
import * as ort from 'onnxruntime-web';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { readGolden, readManifest, readModelBytes } from '@/test/golden';
import { runBatch, writeDownload } from './batch';
import { Engine } from './engine';
import type { FromWorker } from './protocol';

ort.env.wasm.numThreads = 1;

const manifest = readManifest();
const engine = new Engine(ort, readModelBytes);
const model = manifest.models.find((m) => m.id === 'device-lr')!;
const golden = readGolden('device-lr');

/** Golden rows as a device file with the data's own column names, a label and two bad rows. */
function deviceCsv(n: number) {
  const head = ['device', 'failure', ...golden.features.map((f) => f.replace('metric', 'attribute'))];
  const lines = [head.join(',')];
  for (let i = 0; i < n; i++) lines.push([`D${i}`, i % 7 === 0 ? 1 : 0, ...golden.inputs[i]!].join(','));
  lines.splice(3, 0, 'BAD1,0,1,2,3,-4,5,6,7,8'); // line 4: negative counter
  lines.splice(6, 0, 'BAD2,2,1,2,3,4,5,6,7,8'); // line 7: label 2
  return lines.join('\n') + '\n';
}

async function run(text: string, chunkRows = 100) {
  const msgs: FromWorker[] = [];
  await runBatch(engine, model, new Blob([text]), { id: 7, chunkRows, post: (m) => msgs.push(m), signal: new AbortController().signal });
  return msgs;
}

describe('runBatch', () => {
  it('scores every good row like scikit-learn, lists the bad ones, and the counts add up', async () => {
    const msgs = await run(deviceCsv(500));
    const chunks = msgs.filter((m) => m.type === 'batch-chunk');
    const p1 = chunks.flatMap((c) => Array.from(c.p1));
    expect(p1).toHaveLength(500);
    p1.forEach((p, i) => expect(Math.abs(p - golden.probabilities[i]![1])).toBeLessThanOrEqual(1e-5));
    const errors = chunks.flatMap((c) => c.rejected);
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [4, 'attribute4'],
      [7, 'failure'],
    ]);
    // The summary, then the evaluation on the file's labels, last.
    const [done, evaluation] = msgs.slice(-2);
    if (done?.type !== 'batch-done' || evaluation?.type !== 'batch-evaluation') throw new Error(`unexpected last messages: ${done?.type}, ${evaluation?.type}`);
    expect(done.status).toBe('done');
    expect(done.evaluating).toBe(true);
    expect(done.progress.rowsRead).toBe(502);
    expect(done.progress.rowsRead).toBe(done.progress.rowsScored + done.progress.rowsRejected);
    expect(evaluation.evaluation.n).toBe(500);
    expect(evaluation.evaluation.positives).toBe(Math.ceil(500 / 7));
  });

  it('writes the download on request: input columns as read plus the results, every good row', async () => {
    await run(deviceCsv(300));
    const text = await (await writeDownload(7)).text();
    const out = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
    expect(out.meta.fields).toEqual(['device', 'failure', ...golden.features.map((f) => f.replace('metric', 'attribute')), 'probability', 'class', 'model', 'model_version']);
    expect(out.data).toHaveLength(300);
    out.data.forEach((r, i) => {
      expect(r.device).toBe(`D${i}`);
      expect(Math.abs(Number(r.probability) - golden.probabilities[i]![1])).toBeLessThanOrEqual(1e-5);
      expect(r.class).toBe(Number(r.probability) >= model.threshold ? 'Failure' : 'Non-Failure');
      expect(r.model).toBe('device-lr');
    });
    await expect(writeDownload(8)).rejects.toThrow('no longer in memory');
  });

  it('refuses a file without a required column, naming it', async () => {
    const msgs = await run('device,attribute1,attribute2\nA,1,2\n');
    expect(msgs).toEqual([expect.objectContaining({ type: 'batch-refused', missing: expect.arrayContaining(['metric3', 'metric9']) })]);
  });
});
