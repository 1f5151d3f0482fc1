/// <reference lib="webworker" />
import { errorMessage } from '@/domain/errors';
import { parseManifest, type Manifest, type ModelEntry } from '@/domain/manifest';
import * as ort from 'onnxruntime-web/wasm';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import { runBatch, writeDownload } from './batch';
import { Engine } from './engine';
import type { FromWorker, ToWorker } from './protocol';
import { PortScorer, serveScores } from './scorers';

declare const self: DedicatedWorkerGlobalScope;

// The runtime comes from our own origin; this worker is already off the main thread,
// and static hosts are rarely cross-origin isolated, so no proxy and no threads.
ort.env.wasm.wasmPaths = { wasm: wasmUrl };
ort.env.wasm.numThreads = 1;
ort.env.wasm.proxy = false;

let manifest: Manifest | null = null;
let engine: Engine | null = null;
let ready: Promise<void> | null = null;
const batches = new Map<number, AbortController>();
const helpers: PortScorer[] = [];

function post(msg: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(msg, transfer);
}

function model(id: string): ModelEntry {
  const m = manifest?.models.find((x) => x.id === id);
  if (!m) throw new Error(`Unknown model "${id}": it is not in manifest.json`);
  return m;
}

async function load(manifestUrl: string): Promise<void> {
  const t0 = performance.now();
  post({ type: 'loading', stage: 'manifest', loaded: 0, total: 1 });
  const res = await fetch(manifestUrl);
  if (!res.ok) throw new Error(`Could not load the model list (${manifestUrl}: HTTP ${res.status})`);
  manifest = parseManifest(await res.json());
  const base = new URL('.', res.url || manifestUrl);
  engine = new Engine(ort, async (file) => {
    const r = await fetch(new URL(file, base));
    if (!r.ok) throw new Error(`Could not load model file ${file} (HTTP ${r.status})`);
    return r.arrayBuffer();
  });
  post({ type: 'loading', stage: 'models', loaded: 0, total: manifest.models.length });
  let loaded = 0;
  // All sessions in parallel: the wasm runtime is fetched and compiled once by the first.
  await Promise.all(
    manifest.models.map((m) =>
      engine!.session(m).then(
        () => post({ type: 'loading', stage: 'models', loaded: ++loaded, total: manifest!.models.length }),
        (e: unknown) => post({ type: 'model-error', modelId: m.id, message: errorMessage(e) }),
      ),
    ),
  );
  post({ type: 'ready', manifest, loadMs: performance.now() - t0 });
}

async function loadedEngine(): Promise<Engine> {
  await ready;
  if (!engine) throw new Error('The models are not available');
  return engine;
}

let warm: Promise<void> | null = null;
/** Once per worker: every model run a few times (see Engine.warmUp); a model that fails to load is skipped. */
async function warmUp(e: Engine): Promise<Engine> {
  warm ??= (async () => {
    for (const m of manifest?.models ?? []) await e.warmUp(m).catch(() => undefined);
  })();
  await warm;
  return e;
}

self.onmessage = async (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  switch (msg.type) {
    case 'load':
      ready ??= load(msg.manifestUrl).catch((e: unknown) => post({ type: 'fatal', message: errorMessage(e) }));
      return;
    case 'predict':
      try {
        const e = await loadedEngine();
        const predictions = [];
        for (const id of msg.modelIds) predictions.push(await e.runRows(model(id), msg.rows));
        post(
          { type: 'result', id: msg.id, predictions },
          predictions.flatMap((p) => [p.p1.buffer, p.labels.buffer]),
        );
      } catch (e) {
        post({ type: 'error', id: msg.id, message: errorMessage(e) });
      }
      return;
    case 'batch':
    {
      const ac = new AbortController();
      batches.set(msg.id, ac);
      try {
        await runBatch(await loadedEngine(), model(msg.modelId), msg.file, { id: msg.id, chunkRows: msg.chunkRows, post, signal: ac.signal, helpers });
      } catch (e) {
        post({ type: 'error', id: msg.id, message: errorMessage(e) });
      } finally {
        batches.delete(msg.id);
      }
      return;
    }
    case 'serve':
      // A helper: ready to take chunks once its models are loaded and warmed up.
      serveScores(msg.port, loadedEngine().then(warmUp), model);
      return;
    case 'attach-helper':
      helpers.push(new PortScorer(msg.port, () => post({ type: 'helper-ready', helpers: helpers.length })));
      // A batch view has opened: warm this worker up too while the user picks a file.
      void loadedEngine().then(warmUp, () => undefined);
      return;
    case 'cancel':
      batches.get(msg.id)?.abort();
      return;
    case 'download':
      try {
        post({ type: 'download-ready', id: msg.id, blob: await writeDownload(msg.id) });
      } catch (e) {
        post({ type: 'error', id: msg.id, message: errorMessage(e) });
      }
      return;
  }
};
