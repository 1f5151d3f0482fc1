// The worker's batch path (stream, score, report, download) run in Node with the real
// engine: the same code the browser runs, minus postMessage.
import * as ort from 'onnxruntime-web';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { FromWorker } from '@/inference/protocol';
import { readGolden, readModelBytes } from '@/test/golden';
import { engine, manifest } from '@/test/worker-models';
import { FinishedBatches, runBatch, type ScoredBatch } from './batch';
import { Engine } from './engine';
import type { BatchScorer } from './scorers';

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

async function run(text: string, chunkRows = 100, helpers: BatchScorer[] = [], scored?: (s: ScoredBatch | null) => void) {
  const msgs: FromWorker[] = [];
  const s = await runBatch(engine, model, new Blob([text]), {
    id: 7,
    chunkRows,
    post: (m) => msgs.push(m),
    signal: new AbortController().signal,
    helpers,
  });
  scored?.(s);
  return msgs;
}

/**
 * A helper in this process with its own engine, answering after a delay that alternates
 * between long and none, so its chunks come back out of order with the batch worker's.
 */
class DelayedHelper implements BatchScorer {
  private inFlight = 0;
  private calls = 0;
  rows = 0;
  private readonly own = new Engine(ort, readModelBytes);
  constructor(private readonly behaviour: 'works' | 'fails' | 'never-ready') {}
  room() {
    return this.behaviour === 'never-ready' ? 0 : 2 - this.inFlight;
  }
  async score(modelId: string, data: Float32Array, rows: number) {
    this.inFlight++;
    try {
      await new Promise((r) => setTimeout(r, this.calls++ % 2 === 0 ? 15 : 0));
      if (this.behaviour === 'fails') throw new Error('helper crashed');
      const p = await this.own.runMatrix(
        manifest.models.find((m) => m.id === modelId)!,
        data.slice(),
        rows,
      );
      this.rows += rows;
      return p.p1;
    } finally {
      this.inFlight--;
    }
  }
}

/** What the page gets from a run: scores and lines in order, listed errors, final counts. */
function outcome(msgs: FromWorker[]) {
  const chunks = msgs.filter((m) => m.type === 'batch-chunk');
  const done = msgs.find((m) => m.type === 'batch-done');
  if (done?.type !== 'batch-done') throw new Error('no batch-done');
  return {
    p1: chunks.flatMap((c) => Array.from(c.p1)),
    lines: chunks.flatMap((c) => Array.from(c.lines)),
    rejected: chunks.flatMap((c) => c.rejected.map((e) => e.line)),
    progress: done.progress,
  };
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
    if (done?.type !== 'batch-done' || evaluation?.type !== 'batch-evaluation')
      throw new Error(`unexpected last messages: ${done?.type}, ${evaluation?.type}`);
    expect(done.status).toBe('done');
    expect(done.evaluating).toBe(true);
    expect(done.progress.rowsRead).toBe(502);
    expect(done.progress.rowsRead).toBe(done.progress.rowsScored + done.progress.rowsRejected);
    expect(evaluation.evaluation.n).toBe(500);
    expect(evaluation.evaluation.positives).toBe(Math.ceil(500 / 7));
  });

  it('writes the download on request: input columns as read plus the results, every good row', async () => {
    const finished = new FinishedBatches();
    await run(deviceCsv(300), 100, [], (s) => finished.keep(7, s!));
    const text = await (await finished.download(7)).text();
    const out = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
    expect(out.meta.fields).toEqual([
      'device',
      'failure',
      ...golden.features.map((f) => f.replace('metric', 'attribute')),
      'probability',
      'class',
      'model',
      'model_version',
      'number_format',
      'units',
    ]);
    expect(out.data).toHaveLength(300);
    // How the file was read is stated on every row: decimal point (its delimiter is a comma), each input's unit.
    const units = golden.features.map((f) => `${f} count`).join('; ');
    expect(new Set(out.data.map((r) => `${r.number_format}|${r.units}`))).toEqual(new Set([`decimal point (1,234.5)|${units}`]));
    out.data.forEach((r, i) => {
      expect(r.device).toBe(`D${i}`);
      expect(Math.abs(Number(r.probability) - golden.probabilities[i]![1])).toBeLessThanOrEqual(1e-5);
      expect(r.class).toBe(Number(r.probability) >= model.threshold ? 'Failure' : 'Non-Failure');
      expect(r.model).toBe('device-lr');
    });
    await expect(finished.download(8)).rejects.toThrow('no longer in memory');
    // Released by the page, or replaced by a newer batch: gone, with the same words.
    finished.keep(9, { file: new Blob([]), model, p1: new Float32Array(0) });
    await expect(finished.download(7)).rejects.toThrow('no longer in memory');
    finished.release(9);
    await expect(finished.download(9)).rejects.toThrow('no longer in memory');
  });

  it('refuses a file without a required column, naming it', async () => {
    let scored: ScoredBatch | null | undefined;
    const msgs = await run('device,attribute1,attribute2\nA,1,2\n', 100, [], (s) => (scored = s));
    expect(scored).toBeNull();
    expect(msgs).toEqual([expect.objectContaining({ type: 'batch-refused', missing: expect.arrayContaining(['metric3', 'metric9']) })]);
  });

  describe('a file for a model that reads fewer inputs than its graph takes (heart-baseline)', () => {
    const baseline = manifest.models.find((m) => m.id === 'heart-baseline')!;
    const g = readGolden('heart-baseline');
    const read = ['age', 'ejection_fraction', 'serum_creatinine'];
    const only = (cols: readonly string[]) => {
      const idx = cols.map((c) => g.features.indexOf(c));
      return [cols.join(','), ...g.inputs.slice(0, 50).map((r) => idx.map((i) => r[i]).join(','))].join('\n') + '\n';
    };
    const go = async (text: string) => {
      const msgs: FromWorker[] = [];
      await runBatch(engine, baseline, new Blob([text]), { id: 3, post: (m) => msgs.push(m), signal: new AbortController().signal });
      return msgs;
    };

    it('scores a file without the columns the model does not read, as scikit-learn does, and names them', async () => {
      const msgs = await go(only(read));
      const header = msgs.find((m) => m.type === 'batch-header');
      expect(header?.type === 'batch-header' && header.reading?.absent).toEqual(g.features.filter((f) => !read.includes(f)));
      const p1 = msgs.flatMap((m) => (m.type === 'batch-chunk' ? Array.from(m.p1) : []));
      expect(p1).toHaveLength(50);
      p1.forEach((p, i) => expect(Math.abs(p - g.probabilities[i]![1])).toBeLessThanOrEqual(1e-5));
    });

    it('still refuses a file without a column the model reads, naming it', async () => {
      const msgs = await go(only(['age', 'serum_creatinine', 'serum_sodium']));
      expect(msgs).toEqual([expect.objectContaining({ type: 'batch-refused', missing: ['ejection_fraction'] })]);
      expect(msgs[0]!.type === 'batch-refused' && msgs[0]!.message).toContain('ejection_fraction');
    });
  });

  describe('with a helper scoring chunks', () => {
    const text = deviceCsv(1500);
    const alone = async () => outcome(await run(text, 64));

    it('reports the same scores, in file order, as scoring every chunk here', async () => {
      const expected = await alone();
      const helper = new DelayedHelper('works');
      const got = outcome(await run(text, 64, [helper]));
      expect(helper.rows).toBeGreaterThan(0);
      expect(helper.rows).toBeLessThan(1500);
      expect(got.progress.helperRows).toBe(helper.rows);
      expect(got.lines).toEqual(expected.lines);
      expect(got.p1).toEqual(expected.p1);
      expect(got.rejected).toEqual([4, 7]);
      expect(got.progress.rowsRead).toBe(got.progress.rowsScored + got.progress.rowsRejected);
      expect(got.progress.rowsScored).toBe(1500);
    });

    it('scores a failed helper chunk here instead: nothing is lost', async () => {
      const expected = await alone();
      const got = outcome(await run(text, 64, [new DelayedHelper('fails')]));
      expect(got.progress.helperRows).toBe(0);
      expect(got.lines).toEqual(expected.lines);
      expect(got.p1).toEqual(expected.p1);
    });

    it('does without a helper that is not ready', async () => {
      const expected = await alone();
      const got = outcome(await run(text, 64, [new DelayedHelper('never-ready')]));
      expect(got.progress.helperRows).toBe(0);
      expect(got.p1).toEqual(expected.p1);
    });
  });
});
