import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import * as ort from 'onnxruntime-web/wasm';
import { errorMessage } from '@/domain/errors';
import type { Manifest, ModelEntry } from '@/domain/manifest';
import { IntegrityError, pins, verifiedJson } from '@/inference/integrity';
import { Engine } from './engine';
import { prepareRuntime, runtimeHref, takePrefetchedRuntime, type PreparedRuntime } from './runtime-fetch';

/** What loading reports as it goes (the inference worker forwards it to the page; a helper ignores it). */
export type LoadEvent =
  { type: 'loading'; stage: 'manifest' | 'models'; loaded: number; total: number } | { type: 'model-error'; modelId: string; message: string };

/** The checked model list and a lookup that names an unknown id, before any session exists. */
export interface ModelList {
  manifest: Manifest;
  model(id: string): ModelEntry;
}

/** A worker's loaded models: the manifest, one engine, and a lookup that names an unknown id. */
export interface LoadedModels {
  manifest: Manifest;
  engine: Engine;
  model(id: string): ModelEntry;
  /** When each loading stage ended, in ms since the epoch (performance.timeOrigin + now), for the bench's breakdown. */
  stages: LoadStages;
  /** Create the sessions of the models the first view did not need (once; failures are reported). */
  loadRest(): Promise<void>;
  /** The models of the first view whose sessions loadModels created (not those that failed). */
  first: readonly ModelEntry[];
}

/** Loading stages of a worker, each in ms since the epoch (comparable across the page and its workers); null if not seen. */
export interface LoadStages {
  /** onnxruntime-web asked to compile the runtime (on its first session). */
  runtimeAsked: number | null;
  /** The model list fetched, checked and parsed. */
  manifestParsed: number | null;
  /** The runtime's last byte reached this worker (read by its sha256 check). */
  runtimeFetched: number | null;
  /** The runtime compiled and instantiated, and its sha256 checked alongside. */
  runtimeCompiled: number | null;
  /** The runtime's sha256 matched its pin. */
  integrityChecked: number | null;
  /** The first view's sessions created (or failed). */
  sessions: number | null;
}

/** Now, in ms since the epoch: the same clock in the page and every worker. */
export const epochNow = (): number => performance.timeOrigin + performance.now();

const stages: LoadStages = {
  runtimeAsked: null,
  manifestParsed: null,
  runtimeFetched: null,
  runtimeCompiled: null,
  integrityChecked: null,
  sessions: null,
};

// Shared by both worker entries. The runtime comes from our own origin; a worker is already
// off the main thread, and static hosts are rarely cross-origin isolated, so no proxy and no threads.
ort.env.wasm.wasmPaths = { wasm: wasmUrl };
ort.env.wasm.numThreads = 1;
ort.env.wasm.proxy = false;

/**
 * The runtime (the largest download) is downloaded, compiled and checked from the worker entry's
 * first line (prefetchRuntime in runtime-fetch.ts), long before onnxruntime-web asks for it, which
 * it does only once a first model has loaded. Its request (fetch, then
 * WebAssembly.instantiateStreaming) gets that module, instantiated. A changed runtime never runs:
 * the module is handed over only after its check passed, and the ArrayBuffer fallback
 * onnxruntime-web tries after a failed streaming compile is refused too. A retry after a failed
 * compile downloads again, checked again.
 */
let prepared: PreparedRuntime | null = null;
/**
 * Why the prepared runtime could not be handed over (a failed check, a host that blocks
 * WebAssembly): onnxruntime-web's fallback gets the same reason, and a failed check (an
 * IntegrityError, in words) is what loadModels throws at the end.
 */
let preparedFailure: unknown = null;

/** What goes first: onnxruntime-web gets the runtime, and starts its sessions' work on this thread, once it has settled. */
let runtimeWaits: Promise<unknown> = Promise.resolve();

/**
 * Hand the runtime over only after `work` has settled (if it has not been handed over yet): a
 * kept fleet opening needs no session, and its reading and ranking would otherwise wait behind
 * the sessions' creation on this thread (a reopen took about 1 s longer when they met).
 */
export function runtimeAfter(work: Promise<unknown>): void {
  runtimeWaits = Promise.all([runtimeWaits, work.catch(() => undefined)]);
}

function startRuntime(): void {
  // Workers only: in Node (the unit tests) onnxruntime-web reads the file itself.
  if (typeof WorkerGlobalScope === 'undefined') return;
  const networkFetch = self.fetch.bind(self);
  const href = runtimeHref();
  // Not prefetched (a kept fleet opening): downloaded once what the runtime waits for is done.
  prepared = takePrefetchedRuntime() ?? prepareRuntime(networkFetch, runtimeWaits);
  // onnxruntime-web's request for the runtime: a stand-in, since the compile already has the bytes.
  const asks = new WeakSet<Response>();
  const instantiateStreaming = WebAssembly.instantiateStreaming.bind(WebAssembly);
  const instantiate = WebAssembly.instantiate.bind(WebAssembly) as (m: WebAssembly.Module, i?: WebAssembly.Imports) => Promise<WebAssembly.Instance>;
  const instantiateBytes = WebAssembly.instantiate.bind(WebAssembly) as (
    b: BufferSource,
    i?: WebAssembly.Imports,
  ) => Promise<WebAssembly.WebAssemblyInstantiatedSource>;
  WebAssembly.instantiateStreaming = async (source, imports) => {
    const response = await source;
    if (!asks.has(response)) return instantiateStreaming(response, imports);
    stages.runtimeAsked ??= epochNow();
    const p = prepared ?? prepareRuntime(networkFetch);
    prepared = null;
    try {
      const module = await p.module;
      await runtimeWaits;
      const instance = await instantiate(module, imports);
      // The bench's breakdown: fetched, checked, compiled (perhaps before it was asked for), instantiated.
      stages.runtimeFetched ??= p.times.fetched;
      stages.integrityChecked ??= p.times.checked;
      stages.runtimeCompiled ??= epochNow();
      return { module, instance };
    } catch (e) {
      preparedFailure = e;
      throw e;
    }
  };
  // onnxruntime-web falls back to instantiating downloaded bytes after a failed streaming compile:
  // after a failed check, nothing of the runtime is instantiated that way.
  WebAssembly.instantiate = ((src: BufferSource | WebAssembly.Module, imports?: WebAssembly.Imports) => {
    if (src instanceof WebAssembly.Module) return instantiate(src, imports);
    // The fallback's bytes are onnxruntime-web's stand-in, never the runtime: it fails with the first reason.
    if (preparedFailure !== null) return Promise.reject(preparedFailure);
    return instantiateBytes(src, imports);
  }) as typeof WebAssembly.instantiate;
  self.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? new URL(input, self.location.href).href : input instanceof URL ? input.href : input.url;
    if (url !== href) return networkFetch(input, init);
    const ask = new Response(null, { headers: { 'content-type': 'application/wasm' } });
    asks.add(ask);
    return Promise.resolve(ask);
  };
}

/**
 * Fetch the manifest and create the sessions of the models of `first` (the domain the page opens
 * on; when no model has it, the manifest's first model's domain): the first view needs nothing
 * else. The other models load on `loadRest()` (the inference worker calls it once the page is
 * idle; a job or a prediction that needs one earlier creates its session on the spot). A model
 * that fails is reported, the rest still load. Call once per worker.
 */
export async function loadModels(
  manifestUrl: string,
  report: (e: LoadEvent) => void = () => undefined,
  first?: string,
  onList: (list: ModelList) => void = () => undefined,
): Promise<LoadedModels> {
  startRuntime();
  report({ type: 'loading', stage: 'manifest', loaded: 0, total: 1 });
  const res = await fetch(manifestUrl);
  if (!res.ok) throw new Error(`Could not load the model list (${manifestUrl}: HTTP ${res.status})`);
  // The pinned bytes are the model list the build checked with its schema and wrote out as the
  // schema reads it (coreManifestText): nothing left to check here, and no schema code to load.
  const manifest = (await verifiedJson(res, pins.core, 'The model list (models/manifest.core.json)')) as Manifest;
  stages.manifestParsed = epochNow();
  const model = (id: string) => {
    const m = manifest.models.find((x) => x.id === id);
    if (!m) throw new Error(`Unknown model "${id}": it is not in manifest.json`);
    return m;
  };
  onList({ manifest, model });
  const base = new URL('.', res.url || manifestUrl);
  const fetchModel = async (file: string) => {
    const r = await fetch(new URL(file, base));
    if (!r.ok) throw new Error(`Could not load model file ${file} (HTTP ${r.status})`);
    return r.arrayBuffer();
  };
  const domain = manifest.models.some((m) => m.domain === first) ? first : manifest.models[0]?.domain;
  const now = manifest.models.filter((m) => m.domain === domain);
  const later = manifest.models.filter((m) => m.domain !== domain);
  // The first view's model files download at once, while the runtime does.
  const early = new Map(now.map((m) => [m.file, fetchModel(m.file)]));
  for (const p of early.values()) p.catch(() => undefined);
  const engine = new Engine(ort, (file) => {
    const p = early.get(file);
    early.delete(file); // used once: a retry fetches again
    return p ?? fetchModel(file);
  });
  const load = (m: ModelEntry, onLoaded: () => void) =>
    engine.session(m).then(onLoaded, (e: unknown) => report({ type: 'model-error', modelId: m.id, message: errorMessage(e) }));
  const total = now.length;
  report({ type: 'loading', stage: 'models', loaded: 0, total });
  let loaded = 0;
  const ready: ModelEntry[] = [];
  // In parallel: the wasm runtime is fetched and compiled once, by the first.
  await Promise.all(now.map((m) => load(m, () => (ready.push(m), report({ type: 'loading', stage: 'models', loaded: ++loaded, total })))));
  stages.sessions = epochNow();
  // A runtime that failed its check compiled nothing; say why in words, not as the compiler's error.
  if (preparedFailure instanceof IntegrityError) throw preparedFailure;
  let rest: Promise<void> | null = null;
  // One at a time: each session's creation holds this worker's thread.
  const loadRest = () => (rest ??= later.reduce<Promise<void>>((p, m) => p.then(() => load(m, () => undefined)), Promise.resolve()));
  return { manifest, engine, model, stages: { ...stages }, loadRest, first: ready };
}

/**
 * One throwaway row through each model of the first view: a model's run path is compiled on its
 * first call, so the first prediction a person asks for would pay for it. Runs while the page
 * draws its ready form. A model that failed to load is not in `first` (it is not fetched again).
 */
export async function warmFirst(m: LoadedModels): Promise<void> {
  for (const entry of m.first) await m.engine.warmUp(entry, 1, 1).catch(() => undefined);
}

/** Every model run a few times (see Engine.warmUp); a model that failed to load is skipped. */
export async function warmUp(m: LoadedModels): Promise<LoadedModels> {
  for (const entry of m.manifest.models) await m.engine.warmUp(entry).catch(() => undefined);
  return m;
}
