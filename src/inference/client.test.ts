import { describe, expect, it, vi } from 'vitest';
import { batchId, collect, countingSignal, FakeWorker, manifest, progress, setup } from '@/test/fake-worker';
import { InferenceClient } from './client';
import { defaultHelperCount, JOBS_AFTER_ANSWER_MS, JOBS_AFTER_KEPT_MS } from './jobs-gate';
import type { ToHelper, ToWorker } from './protocol';

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
