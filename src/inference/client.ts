import type { Values } from '@/domain/fields';
import type { Manifest } from '@/domain/manifest';
import runtimeUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import type { BatchMessage, FromWorker, ModelPrediction, ToWorker } from './protocol';

export type EngineStatus =
  | { state: 'loading'; stage: string; loaded: number; total: number }
  | { state: 'ready'; manifest: Manifest; loadMs: number; modelErrors: Record<string, string> }
  | { state: 'failed'; message: string };

type Pending = { resolve: (p: ModelPrediction[]) => void; reject: (e: Error) => void };

/**
 * The page's handle on the inference worker: starts it once, exposes its status for
 * React (subscribe/getStatus), and turns messages into promises. Calls made before the
 * models are ready wait in the worker's queue.
 */
export class InferenceClient {
  private worker: Worker | null = null;
  private status: EngineStatus = { state: 'loading', stage: 'starting', loaded: 0, total: 0 };
  private modelErrors: Record<string, string> = {};
  private listeners = new Set<() => void>();
  private pending = new Map<number, Pending>();
  private batches = new Map<number, (m: BatchMessage | { type: 'error'; id: number; message: string }) => void>();
  private downloads = new Map<number, { resolve: (b: Blob) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private helpers: Worker[] = [];
  private helpersReady = 0;

  constructor(
    private readonly createWorker: (name: string) => Worker,
    /** Resolved at start(), so that importing this module needs no DOM. */
    private readonly manifestUrl: string | (() => string),
    /** Called once at start(): the runtime's bytes downloading on the page, handed to the worker. */
    private readonly openRuntime: () => ReadableStream<Uint8Array> | null = () => null,
  ) {}

  /** Idempotent: the first call spawns the worker and starts loading the models. */
  start(): this {
    if (this.worker) return this;
    this.worker = this.createWorker('inference');
    this.worker.onmessage = (ev: MessageEvent<FromWorker>) => this.onMessage(ev.data);
    this.worker.onerror = (ev) => this.setStatus({ state: 'failed', message: `The inference worker failed: ${ev.message}` });
    const runtime = this.openRuntime();
    const load: ToWorker = { type: 'load', manifestUrl: this.resolvedManifestUrl(), ...(runtime ? { runtime } : {}) };
    this.worker.postMessage(load, runtime ? [runtime] : []);
    return this;
  }

  /**
   * Idempotent: start up to `count` helper workers (same code, own models) that score batch
   * chunks while the main worker parses, connected to it directly by a MessageChannel. Called
   * when a batch view opens, so that the helpers have loaded by the time a file is chosen; a
   * batch started before they are ready simply runs without them.
   */
  startHelpers(count = defaultHelperCount()): void {
    this.start();
    while (this.helpers.length < count) {
      const w = this.createWorker(`inference-helper-${this.helpers.length + 1}`);
      // A helper that fails is never used: the batch worker scores every chunk itself.
      w.onerror = () => undefined;
      w.postMessage({ type: 'load', manifestUrl: this.resolvedManifestUrl() } satisfies ToWorker);
      const { port1, port2 } = new MessageChannel();
      w.postMessage({ type: 'serve', port: port1 } satisfies ToWorker, [port1]);
      this.worker!.postMessage({ type: 'attach-helper', port: port2 } satisfies ToWorker, [port2]);
      this.helpers.push(w);
    }
  }

  private resolvedManifestUrl(): string {
    return typeof this.manifestUrl === 'string' ? this.manifestUrl : this.manifestUrl();
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getStatus = (): EngineStatus => this.status;

  /** Helper workers loaded and warmed up, ready to score batch chunks (see startHelpers). */
  getHelpersReady = (): number => this.helpersReady;

  predict(modelIds: string[], rows: Values[], signal?: AbortSignal): Promise<ModelPrediction[]> {
    this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new DOMException('Aborted', 'AbortError'));
      // The worker finishes the call, but the caller stops waiting for it.
      signal?.addEventListener('abort', () => {
        this.pending.delete(id);
        reject(new DOMException('Aborted', 'AbortError'));
      });
      this.pending.set(id, { resolve, reject });
      this.send({ type: 'predict', id, modelIds, rows });
    });
  }

  /** Start a batch; messages for it go to onMessage until batch-done (then batch-evaluation, if announced) or error. */
  batch(
    modelId: string,
    file: Blob,
    onMessage: (m: BatchMessage | { type: 'error'; id: number; message: string }) => void,
  ): { id: number; cancel: () => void } {
    this.start();
    const id = this.nextId++;
    this.batches.set(id, onMessage);
    this.send({ type: 'batch', id, modelId, file });
    return { id, cancel: () => this.send({ type: 'cancel', id }) };
  }

  /** The CSV download of a finished batch, written by the worker on request. */
  download(batchId: number): Promise<Blob> {
    return new Promise((resolve, reject) => {
      this.downloads.set(batchId, { resolve, reject });
      this.send({ type: 'download', id: batchId });
    });
  }

  private send(msg: ToWorker): void {
    this.worker!.postMessage(msg);
  }

  private setStatus(s: EngineStatus): void {
    this.status = s;
    for (const l of this.listeners) l();
  }

  private onMessage(msg: FromWorker): void {
    switch (msg.type) {
      case 'loading':
        this.setStatus({ state: 'loading', stage: msg.stage, loaded: msg.loaded, total: msg.total });
        return;
      case 'ready':
        this.setStatus({ state: 'ready', manifest: msg.manifest, loadMs: msg.loadMs, modelErrors: { ...this.modelErrors } });
        return;
      case 'fatal':
        this.setStatus({ state: 'failed', message: msg.message });
        for (const p of this.pending.values()) p.reject(new Error(msg.message));
        this.pending.clear();
        return;
      case 'model-error':
        this.modelErrors = { ...this.modelErrors, [msg.modelId]: msg.message };
        if (this.status.state === 'ready') this.setStatus({ ...this.status, modelErrors: this.modelErrors });
        return;
      case 'result':
        this.pending.get(msg.id)?.resolve(msg.predictions);
        this.pending.delete(msg.id);
        return;
      case 'helper-ready':
        this.helpersReady++;
        for (const l of this.listeners) l();
        return;
      case 'download-ready':
        this.downloads.get(msg.id)?.resolve(msg.blob);
        this.downloads.delete(msg.id);
        return;
      case 'error': {
        const d = this.downloads.get(msg.id);
        if (d) {
          d.reject(new Error(msg.message));
          this.downloads.delete(msg.id);
          return;
        }
        const p = this.pending.get(msg.id);
        if (p) {
          p.reject(new Error(msg.message));
          this.pending.delete(msg.id);
        }
        this.batches.get(msg.id)?.(msg);
        this.batches.delete(msg.id);
        return;
      }
      default: {
        const on = this.batches.get(msg.id);
        on?.(msg);
        const last = msg.type === 'batch-refused' || msg.type === 'batch-evaluation' || (msg.type === 'batch-done' && !msg.evaluating);
        if (last) this.batches.delete(msg.id);
      }
    }
  }
}

/** One helper per core besides the batch worker's, at most 2 (each holds its own WebAssembly runtime and models). */
export function defaultHelperCount(cores = globalThis.navigator?.hardwareConcurrency ?? 1): number {
  return Math.max(0, Math.min(cores - 1, 2));
}

/**
 * The runtime's download, started by the page (which index.html's preload has already begun,
 * see src/build/preload.ts) and streamed to the worker as it arrives, so that it overlaps the
 * worker's own script instead of following it.
 */
function downloadRuntime(): ReadableStream<Uint8Array> | null {
  if (typeof TransformStream === 'undefined') return null;
  // A queue as large as the runtime: the page's download (and so its load event) never waits
  // for the worker to read.
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>({}, new ByteLengthQueuingStrategy({ highWaterMark: 64 << 20 }));
  fetch(runtimeUrl).then(
    (r) => (r.ok && r.body ? r.body.pipeTo(writable) : writable.abort(new Error(`HTTP ${r.status}`))),
    (e: unknown) => writable.abort(e),
  ).catch(() => undefined);
  return readable;
}

export const inference = new InferenceClient(
  (name) => new Worker(new URL('./inference.worker.ts', import.meta.url), { type: 'module', name }),
  // The slim manifest (no card curves), derived at build time; see src/build/model-core.ts.
  () => new URL('models/manifest.core.json', document.baseURI).href,
  downloadRuntime,
);
