import { describe, expect, it } from 'vitest';
import type { Manifest } from '@/domain/manifest';
import { defaultHelperCount, InferenceClient } from './client';
import type { FromWorker, ToWorker } from './protocol';

/** A stand-in for the worker: records what the client sends and lets the test answer. */
class FakeWorker {
  sent: ToWorker[] = [];
  onmessage: ((ev: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  transferred: Transferable[][] = [];
  postMessage(msg: ToWorker, transfer: Transferable[] = []) {
    this.sent.push(msg);
    this.transferred.push(transfer);
  }
  reply(msg: FromWorker) {
    this.onmessage?.({ data: msg } as MessageEvent<FromWorker>);
  }
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
    fake.reply({ type: 'ready', manifest, loadMs: 5 });
    expect(seen).toEqual(['loading', 'ready']);
    const s = client.getStatus();
    expect(s.state === 'ready' && s.modelErrors).toEqual({ 'device-rf': 'checksum' });
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
    const p = client.predict(['m'], [{ x: 1 }], ac.signal);
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
    const got: string[] = [];
    const run = client.batch('m', new Blob(['a']), (m) => got.push(m.type));
    fake.reply({ type: 'batch-header', id: run.id, columns: ['a'], hasLabel: false });
    fake.reply({ type: 'batch-header', id: run.id + 100, columns: ['b'], hasLabel: false });
    run.cancel();
    expect(fake.sent.at(-1)).toEqual({ type: 'cancel', id: run.id });
    expect(got).toEqual(['batch-header']);
    const d = client.download(run.id);
    const blob = new Blob(['x']);
    fake.reply({ type: 'download-ready', id: run.id, blob });
    await expect(d).resolves.toBe(blob);
  });

  it('starts helper workers once, each wired to the batch worker by its own channel', () => {
    const made: { name: string; w: FakeWorker }[] = [];
    const client = new InferenceClient((name) => {
      const w = new FakeWorker();
      made.push({ name, w });
      return w as unknown as Worker;
    }, 'http://x/models/manifest.json');
    let notified = 0;
    client.subscribe(() => notified++);
    client.startHelpers(2);
    client.startHelpers(2);
    expect(made.map((m) => m.name)).toEqual(['inference', 'inference-helper-1', 'inference-helper-2']);
    const [main, h1, h2] = made.map((m) => m.w);
    for (const h of [h1!, h2!]) {
      expect(h.sent.map((m) => m.type)).toEqual(['load', 'serve']);
      const serve = h.sent[1] as Extract<ToWorker, { type: 'serve' }>;
      expect(h.transferred[1]).toEqual([serve.port]);
    }
    const attach = main!.sent.filter((m) => m.type === 'attach-helper') as Extract<ToWorker, { type: 'attach-helper' }>[];
    expect(attach).toHaveLength(2);
    // Each helper's port is paired with one of the batch worker's, not shared.
    expect(new Set([...attach.map((a) => a.port), ...[h1!, h2!].map((h) => (h.sent[1] as { port: MessagePort }).port)]).size).toBe(4);
    for (const a of attach) a.port.close();
    for (const h of [h1!, h2!]) (h.sent[1] as { port: MessagePort }).port.close();
    expect(client.getHelpersReady()).toBe(0);
    main!.reply({ type: 'helper-ready', helpers: 1 });
    expect(client.getHelpersReady()).toBe(1);
    expect(notified).toBe(1);
  });

  it('uses one helper per core besides the batch worker, at most two, none on one core', () => {
    expect([1, 2, 3, 4, 16].map((c) => defaultHelperCount(c))).toEqual([0, 1, 2, 2, 2]);
  });
});
