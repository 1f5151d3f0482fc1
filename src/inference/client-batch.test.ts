import { describe, expect, it } from 'vitest';
import { batchId, collect, countingSignal, progress, setup } from '@/test/fake-worker';
import type { BatchEvent } from './batch-session';

describe('InferenceClient.scoreFile: a batch session', () => {
  it('yields typed events in order, with each chunk in session.rows before its progress event', async () => {
    const { fake, client } = setup();
    const file = new Blob(['a']);
    const session = client.scoreFile(file, 'device-rf');
    expect(session.file).toBe(file);
    expect(session.modelId).toBe('device-rf');
    const id = batchId(fake);
    const lengths: number[] = [];
    const events: BatchEvent['type'][] = [];
    const reading = (async () => {
      for await (const ev of session) {
        events.push(ev.type);
        // Chunks go into rows as they arrive, so a reader that lags may see more, never fewer.
        if (ev.type === 'progress') lengths.push(session.rows.length - ev.progress.rowsScored);
      }
    })();
    fake.reply({ type: 'batch-header', id, columns: ['a', 'failure'], columnCount: 2, hasLabel: true });
    const chunk = (n: number, from: number) => ({
      type: 'batch-chunk' as const,
      id,
      lines: Int32Array.from({ length: n }, (_, i) => from + i + 2),
      p1: new Float32Array(n).fill(0.5),
      truth: new Int8Array(n),
      cellsJson: null,
      rejected: n === 2 ? [{ line: 9, column: 'a', value: 'x', message: 'A must be a number' }] : [],
      progress: progress(from + n),
    });
    fake.reply(chunk(2, 0));
    fake.reply(chunk(3, 2));
    fake.reply({ type: 'batch-done', id, status: 'done', message: null, progress: progress(5), evaluating: true });
    const evaluation = { n: 5 } as unknown as Extract<BatchEvent, { type: 'evaluation' }>['evaluation'];
    fake.reply({ type: 'batch-evaluation', id, evaluation });
    // After its last message the batch is no longer routed: a stray message changes nothing.
    fake.reply(chunk(1, 5));
    await reading;
    expect(events).toEqual(['header', 'progress', 'progress', 'done', 'evaluation']);
    expect(lengths).toHaveLength(2);
    for (const ahead of lengths) expect(ahead).toBeGreaterThanOrEqual(0);
    expect(session.rows.length).toBe(5);
    expect(session.rows.errors).toHaveLength(1);
    expect(session.rows.row(4)).toEqual({ line: 6, p1: 0.5, truth: 0, cells: null });
  });

  it('ends after a refusal', async () => {
    const { fake, client } = setup();
    const session = client.scoreFile(new Blob(['a']), 'm');
    fake.reply({ type: 'batch-refused', id: batchId(fake), message: 'missing columns', missing: ['metric4'] });
    expect(await collect(session)).toEqual([{ type: 'refused', message: 'missing columns', missing: ['metric4'] }]);
  });

  it('cancels through its signal, and removes that listener when the batch ends', async () => {
    const { fake, client } = setup();
    const s = countingSignal();
    const session = client.scoreFile(new Blob(['a']), 'm', { signal: s.signal });
    const id = batchId(fake);
    expect(s.listeners()).toBe(1);
    s.ac.abort();
    expect(fake.sent.at(-1)).toEqual({ type: 'cancel', id });
    fake.reply({ type: 'batch-done', id, status: 'cancelled', message: null, progress: progress(1), evaluating: false });
    const events = await collect(session);
    expect(events.map((e) => e.type === 'done' && e.status)).toEqual(['cancelled']);
    expect(s.listeners()).toBe(0);
  });

  it('throws the worker error from the iteration, after the events before it', async () => {
    const { fake, client } = setup();
    const session = client.scoreFile(new Blob(['a']), 'm');
    const id = batchId(fake);
    fake.reply({ type: 'batch-header', id, columns: ['a'], columnCount: 1, hasLabel: false });
    fake.reply({ type: 'error', id, message: 'Unknown model "m"' });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const ev of session) seen.push(ev.type);
      })(),
    ).rejects.toThrow('Unknown model "m"');
    expect(seen).toEqual(['header']);
  });

  it('release() ends the events, tells the worker to drop the batch, and refuses the download', async () => {
    const { fake, client } = setup();
    const s = countingSignal();
    const session = client.scoreFile(new Blob(['a']), 'm', { signal: s.signal });
    const id = batchId(fake);
    const reading = collect(session);
    fake.reply({ type: 'batch-header', id, columns: ['a'], columnCount: 1, hasLabel: false });
    session.release();
    expect(fake.sent.at(-1)).toEqual({ type: 'release', id });
    expect(s.listeners()).toBe(0);
    fake.reply({ type: 'batch-done', id, status: 'cancelled', message: null, progress: progress(1), evaluating: false });
    // Released: the events queued but not yet read are dropped too.
    expect((await reading).length).toBeLessThanOrEqual(1);
    await expect(session.download()).rejects.toThrow('no longer in memory');
    session.release();
    expect(fake.sent.filter((m) => m.type === 'release')).toHaveLength(1);
  });

  it('a reader that breaks off stops listening, and the results stay downloadable', async () => {
    const { fake, client } = setup();
    const session = client.scoreFile(new Blob(['a']), 'm');
    const id = batchId(fake);
    fake.reply({ type: 'batch-done', id, status: 'done', message: null, progress: progress(1), evaluating: true });
    for await (const ev of session) if (ev.type === 'done') break;
    expect(fake.sent.some((m) => m.type === 'release')).toBe(false);
    const d = session.download();
    const blob = new Blob(['x']);
    fake.reply({ type: 'download-ready', id, blob });
    await expect(d).resolves.toBe(blob);
  });
});
