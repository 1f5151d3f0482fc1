import { describe, expect, it, vi } from 'vitest';
import type { Manifest } from '@/domain/manifest';
import type { BatchEvent } from './batch-session';
import { InferenceClient } from './client';
import { defaultHelperCount, JOBS_AFTER_ANSWER_MS, JOBS_AFTER_KEPT_MS } from './jobs-gate';
import type { BatchProgress, FromWorker, ToHelper, ToWorker } from './protocol';

/** A stand-in for a worker: records what the client sends and its listeners, and lets the test answer. */
class FakeWorker {
  sent: (ToWorker | ToHelper)[] = [];
  transferred: Transferable[][] = [];
  listeners = new Map<string, Set<(ev: never) => void>>();
  terminated = false;
  addEventListener(type: string, fn: (ev: never) => void) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(fn);
  }
  removeEventListener(type: string, fn: (ev: never) => void) {
    this.listeners.get(type)?.delete(fn);
  }
  listenerCount() {
    return [...this.listeners.values()].reduce((n, s) => n + s.size, 0);
  }
  terminate() {
    this.terminated = true;
  }
  postMessage(msg: ToWorker | ToHelper, transfer: Transferable[] = []) {
    this.sent.push(msg);
    this.transferred.push(transfer);
  }
  reply(msg: FromWorker) {
    for (const fn of this.listeners.get('message') ?? []) fn({ data: msg } as never);
  }
}

function progress(rows: number): BatchProgress {
  return {
    rowsRead: rows,
    rowsScored: rows,
    rowsRejected: 0,
    bytesRead: rows,
    totalBytes: 100,
    elapsedMs: 1,
    parseMs: 0,
    scoreMs: 0,
    waitMs: 0,
    helperRows: 0,
  };
}

/** The id of the last batch the client asked the worker for. */
function batchId(fake: FakeWorker): number {
  const m = fake.sent.filter((x) => x.type === 'batch').at(-1);
  if (m?.type !== 'batch') throw new Error('no batch sent');
  return m.id;
}

async function collect(session: AsyncIterable<BatchEvent>): Promise<BatchEvent[]> {
  const out: BatchEvent[] = [];
  for await (const ev of session) out.push(ev);
  return out;
}

function setup() {
  const fake = new FakeWorker();
  let created = 0;
  const client = new InferenceClient(() => {
    created++;
    return fake as unknown as Worker;
  }, 'http://x/models/manifest.json');
  return { fake, client, created: () => created };
}

const manifest = { schema_version: 1, models: [] } as unknown as Manifest;

describe('InferenceClient', () => {
  it('starts one worker, once, and asks it to load the manifest', () => {
    const { fake, client, created } = setup();
    client.start();
    client.start();
    expect(created()).toBe(1);
    expect(fake.sent).toEqual([{ type: 'load', manifestUrl: 'http://x/models/manifest.json' }]);
  });

  it('reports loading, ready and per-model errors to subscribers', () => {
    const { fake, client } = setup();
    const seen: string[] = [];
    client.subscribe(() => seen.push(client.getStatus().state));
    client.start();
    fake.reply({ type: 'loading', stage: 'models', loaded: 1, total: 6 });
    fake.reply({ type: 'model-error', modelId: 'device-rf', message: 'checksum' });
    fake.reply({ type: 'manifest', manifest });
    fake.reply({ type: 'ready', loadMs: 5 });
    expect(seen).toEqual(['loading', 'loading', 'ready']);
    const s = client.getStatus();
    expect(s.state === 'ready' && s.modelErrors).toEqual({ 'device-rf': 'checksum' });
  });

  it('gives the checked model list before ready, without changing the status', () => {
    const { fake, client } = setup();
    client.start();
    fake.reply({ type: 'loading', stage: 'manifest', loaded: 0, total: 1 });
    const before = client.getStatus();
    let notified = 0;
    client.subscribe(() => notified++);
    expect(client.getManifest()).toBeNull();
    fake.reply({ type: 'manifest', manifest });
    expect(client.getManifest()).toBe(manifest);
    expect(notified).toBe(1);
    // Readers of the status alone (every view but the fleet) do not render again.
    expect(client.getStatus()).toBe(before);
    // Ready carries no second copy: the views keep the object they were given.
    fake.reply({ type: 'ready', loadMs: 5 });
    const s = client.getStatus();
    expect(s.state === 'ready' && s.manifest).toBe(manifest);
  });

  it('fails the load when ready comes before the model list', async () => {
    const { fake, client } = setup();
    const ready = client.load();
    fake.reply({ type: 'ready', loadMs: 1 });
    await expect(ready).rejects.toThrow('before it sent its model list');
    expect(client.getStatus().state).toBe('failed');
  });

  it('matches results to calls by id, whatever the order they come back in', async () => {
    const { fake, client } = setup();
    const a = client.predict(['m'], [{ x: 1 }]);
    const b = client.predict(['m'], [{ x: 2 }]);
    const [ida, idb] = fake.sent.filter((m) => m.type === 'predict').map((m) => (m as { id: number }).id);
    const pred = (p: number) => [{ modelId: 'm', p1: Float32Array.of(p), labels: Int32Array.of(0), runMs: 0 }];
    fake.reply({ type: 'result', id: idb!, predictions: pred(0.25) });
    fake.reply({ type: 'error', id: ida!, message: 'Unknown model "m"' });
    await expect(b).resolves.toEqual(pred(0.25));
    await expect(a).rejects.toThrow('Unknown model "m"');
  });

  it('stops waiting when the caller aborts', async () => {
    const { client } = setup();
    const ac = new AbortController();
    const p = client.predict(['m'], [{ x: 1 }], { signal: ac.signal });
    ac.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('fails every pending call when the models cannot load', async () => {
    const { fake, client } = setup();
    const p = client.predict(['m'], [{ x: 1 }]);
    fake.reply({ type: 'fatal', message: 'Could not load the model list (HTTP 404)' });
    await expect(p).rejects.toThrow('HTTP 404');
    expect(client.getStatus()).toEqual({ state: 'failed', message: 'Could not load the model list (HTTP 404)' });
  });

  it('routes batch messages to their batch and resolves downloads', async () => {
    const { fake, client } = setup();
    const session = client.scoreFile(new Blob(['a']), 'm');
    const id = batchId(fake);
    const got: string[] = [];
    const reading = (async () => {
      for await (const ev of session) got.push(ev.type);
    })();
    fake.reply({ type: 'batch-header', id, columns: ['a'], columnCount: 1, hasLabel: false });
    fake.reply({ type: 'batch-header', id: id + 100, columns: ['b'], columnCount: 1, hasLabel: false });
    session.cancel();
    expect(fake.sent.at(-1)).toEqual({ type: 'cancel', id });
    fake.reply({ type: 'batch-done', id, status: 'cancelled', message: null, progress: progress(0), evaluating: false });
    await reading;
    expect(got).toEqual(['header', 'done']);
    const d = session.download();
    const blob = new Blob(['x']);
    fake.reply({ type: 'download-ready', id, blob });
    await expect(d).resolves.toBe(blob);
  });

  it('starts helper workers once, each wired to the batch worker by its own channel', () => {
    const made: { name: string; w: FakeWorker }[] = [];
    const roles: string[] = [];
    const client = new InferenceClient((role, name) => {
      const w = new FakeWorker();
      roles.push(role);
      made.push({ name, w });
      return w as unknown as Worker;
    }, 'http://x/models/manifest.json');
    let notified = 0;
    client.subscribe(() => notified++);
    client.startHelpers(2);
    client.startHelpers(2);
    expect(made.map((m) => m.name)).toEqual([
      'inference?manifest=http%3A%2F%2Fx%2Fmodels%2Fmanifest.json',
      'inference-helper-1',
      'inference-helper-2',
    ]);
    // Helpers run their own entry file (helper.worker.ts), told what to load and where to serve in one message.
    expect(roles).toEqual(['inference', 'helper', 'helper']);
    const [main, h1, h2] = made.map((m) => m.w);
    for (const h of [h1!, h2!]) {
      expect(h.sent.map((m) => m.type)).toEqual(['serve']);
      const serve = h.sent[0] as ToHelper;
      expect(serve.manifestUrl).toBe('http://x/models/manifest.json');
      expect(h.transferred[0]).toEqual([serve.port]);
      // The page does not listen to helpers: nothing to remove later.
      expect(h.listenerCount()).toBe(0);
    }
    const attach = main!.sent.filter((m) => m.type === 'attach-helper') as Extract<ToWorker, { type: 'attach-helper' }>[];
    expect(attach).toHaveLength(2);
    // Each helper's port is paired with one of the batch worker's, not shared.
    expect(new Set([...attach.map((a) => a.port), ...[h1!, h2!].map((h) => (h.sent[0] as ToHelper).port)]).size).toBe(4);
    for (const a of attach) a.port.close();
    for (const h of [h1!, h2!]) (h.sent[0] as ToHelper).port.close();
    expect(client.getHelpersReady()).toBe(0);
    main!.reply({ type: 'helper-ready', helpers: 1 });
    expect(client.getHelpersReady()).toBe(1);
    expect(notified).toBe(1);
  });

  it('on a page opening on a kept fleet, starts helpers and the job warm-up only after the open is answered, or at the latest 3 s in', async () => {
    vi.useFakeTimers();
    try {
      for (const answered of [true, false]) {
        const made: FakeWorker[] = [];
        const client = new InferenceClient(
          () => {
            const w = new FakeWorker();
            made.push(w);
            return w as unknown as Worker;
          },
          'http://x/models/manifest.json',
          () => 'device',
          () => 'device',
        );
        client.startHelpers(1);
        client.prepareJob('fleet', 'device-fleet');
        const main = made[0]!;
        const warmed = () => main.sent.filter((m) => m.type === 'warm-job').length;
        expect([made.length, warmed()]).toEqual([1, 0]);
        if (answered) {
          // The worker's first answer to the open (a job's message): the list is drawn and first asked within the next second.
          main.reply({ type: 'fleet-refused', id: 1, message: 'No fleet workspace is kept in this browser.', missing: [] });
          await vi.advanceTimersByTimeAsync(JOBS_AFTER_ANSWER_MS - 1);
          expect([made.length, warmed()]).toEqual([1, 0]);
          await vi.advanceTimersByTimeAsync(1);
        } else {
          await vi.advanceTimersByTimeAsync(JOBS_AFTER_KEPT_MS - 1);
          expect([made.length, warmed()]).toEqual([1, 0]);
          await vi.advanceTimersByTimeAsync(1);
        }
        // One helper (asked twice: by startHelpers and by prepareJob), one warm-up.
        expect([made.length, warmed()]).toEqual([2, 1]);
        client.startHelpers(1);
        client.prepareJob('fleet', 'device-fleet');
        expect([made.length, warmed()]).toEqual([2, 2]);
        for (const m of main.sent) if (m.type === 'attach-helper') m.port.close();
        for (const m of made[1]!.sent) if (m.type === 'serve') m.port.close();
      }
    } finally {
      vi.useRealTimers();
    }
  });

  it('uses one helper per core besides the batch worker, at most two, none on one core', () => {
    expect([1, 2, 3, 4, 16].map((c) => defaultHelperCount(c))).toEqual([0, 1, 2, 2, 2]);
  });
});

/** An AbortSignal that counts its listeners, to prove that the client removes what it adds. */
function countingSignal() {
  const ac = new AbortController();
  let listeners = 0;
  const signal = ac.signal;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((...args: Parameters<typeof add>) => (listeners++, add(...args))) as typeof add;
  signal.removeEventListener = ((...args: Parameters<typeof remove>) => (listeners--, remove(...args))) as typeof remove;
  return { ac, signal, listeners: () => listeners };
}

describe('InferenceClient.load and listeners', () => {
  it('load() resolves with the manifest when ready, and rejects when nothing can run', async () => {
    const a = setup();
    const ready = a.client.load();
    a.fake.reply({ type: 'manifest', manifest });
    a.fake.reply({ type: 'ready', loadMs: 1 });
    await expect(ready).resolves.toBe(manifest);
    await expect(a.client.load()).resolves.toBe(manifest);
    const b = setup();
    const failed = b.client.load();
    b.fake.reply({ type: 'fatal', message: 'Could not load the model list (HTTP 404)' });
    await expect(failed).rejects.toThrow('HTTP 404');
  });

  it('removes the abort listener of a predict call once it is answered', async () => {
    const { fake, client } = setup();
    const s = countingSignal();
    const p = client.predict(['m'], [{ x: 1 }], { signal: s.signal });
    expect(s.listeners()).toBe(1);
    const id = (fake.sent.find((m) => m.type === 'predict') as { id: number }).id;
    fake.reply({ type: 'result', id, predictions: [] });
    await expect(p).resolves.toEqual([]);
    expect(s.listeners()).toBe(0);
  });

  it('dispose() removes its listeners, stops the workers and fails what waits on them', async () => {
    const { fake, client } = setup();
    const p = client.predict(['m'], [{ x: 1 }]);
    const loading = client.load();
    const session = client.scoreFile(new Blob(['a']), 'm');
    const reading = collect(session);
    expect(fake.listenerCount()).toBe(2);
    client.dispose();
    await expect(loading).rejects.toThrow('stopped');
    expect(fake.listenerCount()).toBe(0);
    expect(fake.terminated).toBe(true);
    await expect(p).rejects.toThrow('stopped');
    await expect(reading).rejects.toThrow('stopped');
  });
});

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
