/// <reference lib="webworker" />
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

/**
 * The runtime (the largest download) is requested before onnxruntime-web asks for it, which
 * it does only once a first model has loaded: the page's download (it starts earlier than
 * this worker, from index.html) when the load message brings it, else this worker's own.
 * onnxruntime-web's request for that URL then gets this response, so it still compiles the
 * runtime while the bytes arrive (WebAssembly.instantiateStreaming). The bytes are buffered
 * meanwhile, so the download never waits for the compiler. If anything fails,
 * onnxruntime-web falls back to its own request.
 */
const networkFetch = self.fetch.bind(self);
const runtimeHref = new URL(wasmUrl, self.location.href).href;
let runtime: Promise<Response> | null = null;

function startRuntime(fromPage: ReadableStream<Uint8Array> | undefined): void {
  const buffered = (body: ReadableStream<Uint8Array>) =>
    new Response(body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({}, new ByteLengthQueuingStrategy({ highWaterMark: 64 << 20 }))), {
      headers: { 'content-type': 'application/wasm' },
    });
  runtime = fromPage
    ? Promise.resolve(buffered(fromPage))
    : networkFetch(runtimeHref, { credentials: 'same-origin' }).then((r) => (r.ok && r.body ? buffered(r.body) : r));
  runtime.catch(() => undefined);
}

self.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
  const href = typeof input === 'string' ? new URL(input, self.location.href).href : input instanceof URL ? input.href : input.url;
  if (href === runtimeHref && runtime) {
    const r = runtime;
    runtime = null; // once: a retry after a failed compile downloads again
    return r;
  }
  return networkFetch(input, init);
};

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
  const fetchModel = async (file: string) => {
    const r = await fetch(new URL(file, base));
    if (!r.ok) throw new Error(`Could not load model file ${file} (HTTP ${r.status})`);
    return r.arrayBuffer();
  };
  // Every model file downloads at once, while the runtime does.
  const early = new Map(manifest.models.map((m) => [m.file, fetchModel(m.file)]));
  for (const p of early.values()) p.catch(() => undefined);
  engine = new Engine(ort, (file) => {
    const p = early.get(file);
    early.delete(file); // used once: a retry fetches again
    return p ?? fetchModel(file);
  });
  post({ type: 'loading', stage: 'models', loaded: 0, total: manifest.models.length });
  let loaded = 0;
  // All sessions in parallel: the wasm runtime is fetched and compiled once by the first.
  await Promise.all(
    manifest.models.map((m) =>
      engine!.session(m).then(
        () => post({ type: 'loading', stage: 'models', loaded: ++loaded, total: manifest!.models.length }),
        (e: unknown) => post({ type: 'model-error', modelId: m.id, message: messageOf(e) }),
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

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

self.onmessage = async (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  switch (msg.type) {
    case 'load':
      if (!ready) startRuntime(msg.runtime);
      ready ??= load(msg.manifestUrl).catch((e: unknown) => post({ type: 'fatal', message: messageOf(e) }));
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
        post({ type: 'error', id: msg.id, message: messageOf(e) });
      }
      return;
    case 'batch':
    {
      const ac = new AbortController();
      batches.set(msg.id, ac);
      try {
        await runBatch(await loadedEngine(), model(msg.modelId), msg.file, { id: msg.id, chunkRows: msg.chunkRows, post, signal: ac.signal, helpers });
      } catch (e) {
        post({ type: 'error', id: msg.id, message: messageOf(e) });
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
        post({ type: 'error', id: msg.id, message: messageOf(e) });
      }
      return;
  }
};
