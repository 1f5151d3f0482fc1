import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import * as ort from 'onnxruntime-web/wasm';
import { errorMessage } from '@/domain/errors';
import { parseManifest, type Manifest, type ModelEntry } from '@/domain/manifest';
import { pins, verifiedJson, verifyingStream } from '@/inference/integrity';
import { Engine } from './engine';

/** What loading reports as it goes (the inference worker forwards it to the page; a helper ignores it). */
export type LoadEvent =
  { type: 'loading'; stage: 'manifest' | 'models'; loaded: number; total: number } | { type: 'model-error'; modelId: string; message: string };

/** A worker's loaded models: the manifest, one engine, and a lookup that names an unknown id. */
export interface LoadedModels {
  manifest: Manifest;
  engine: Engine;
  model(id: string): ModelEntry;
  /** Time spent checking the runtime's sha256 (null when this worker did not check it, e.g. in Node). */
  integrityMs: number | null;
}

// Shared by both worker entries. The runtime comes from our own origin; a worker is already
// off the main thread, and static hosts are rarely cross-origin isolated, so no proxy and no threads.
ort.env.wasm.wasmPaths = { wasm: wasmUrl };
ort.env.wasm.numThreads = 1;
ort.env.wasm.proxy = false;

/**
 * The runtime (the largest download) is requested before onnxruntime-web asks for it, which
 * it does only once a first model has loaded: the page's download (it starts earlier than
 * the worker, from index.html's preload) when the load message brings it, else this worker's
 * own (a helper's, or the inference worker's when the page has none to give). onnxruntime-web's
 * request for that URL then gets this response, so it still compiles the runtime while the
 * bytes arrive (WebAssembly.instantiateStreaming). The bytes are buffered meanwhile, so the
 * download never waits for the compiler. If anything fails, onnxruntime-web falls back to its
 * own request.
 */
let runtime: Promise<Response> | null = null;
/** The outcome of the runtime's sha256 check (each download of it is checked). */
let runtimeCheck: { ok: true; ms: number } | { ok: false; message: string } | null = null;

function startRuntime(fromPage: ReadableStream<Uint8Array> | undefined): void {
  // Workers only: in Node (the unit tests) onnxruntime-web reads the file itself.
  if (typeof WorkerGlobalScope === 'undefined' || typeof TransformStream === 'undefined') return;
  const networkFetch = self.fetch.bind(self);
  const runtimeHref = new URL(wasmUrl, self.location.href).href;
  // Every copy of the runtime that reaches the compiler is checked against the pinned sha256.
  const buffered = (body: ReadableStream<Uint8Array>) =>
    new Response(
      verifyingStream(body, pins.runtime, (r) => (runtimeCheck = r)).pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({}, new ByteLengthQueuingStrategy({ highWaterMark: 64 << 20 })),
      ),
      { headers: { 'content-type': 'application/wasm' } },
    );
  const download = () => networkFetch(runtimeHref, { credentials: 'same-origin' }).then((r) => (r.ok && r.body ? buffered(r.body) : r));
  runtime = fromPage ? Promise.resolve(buffered(fromPage)) : download();
  runtime.catch(() => undefined);
  self.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const href = typeof input === 'string' ? new URL(input, self.location.href).href : input instanceof URL ? input.href : input.url;
    if (href !== runtimeHref) return networkFetch(input, init);
    const r = runtime ?? download(); // a retry after a failed compile downloads again, checked again
    runtime = null;
    return r;
  };
}

/**
 * Fetch the manifest and create every model's session; a model that fails is reported, the rest
 * still load. `runtime`: the page's download of the WebAssembly runtime, if it handed one over;
 * otherwise this worker starts its own at once (call once per worker).
 */
export async function loadModels(
  manifestUrl: string,
  report: (e: LoadEvent) => void = () => undefined,
  runtime?: ReadableStream<Uint8Array>,
): Promise<LoadedModels> {
  startRuntime(runtime);
  report({ type: 'loading', stage: 'manifest', loaded: 0, total: 1 });
  const res = await fetch(manifestUrl);
  if (!res.ok) throw new Error(`Could not load the model list (${manifestUrl}: HTTP ${res.status})`);
  const manifest = parseManifest(await verifiedJson(res, pins.core, 'The model list (models/manifest.core.json)'));
  const base = new URL('.', res.url || manifestUrl);
  const fetchModel = async (file: string) => {
    const r = await fetch(new URL(file, base));
    if (!r.ok) throw new Error(`Could not load model file ${file} (HTTP ${r.status})`);
    return r.arrayBuffer();
  };
  // Every model file downloads at once, while the runtime does.
  const early = new Map(manifest.models.map((m) => [m.file, fetchModel(m.file)]));
  for (const p of early.values()) p.catch(() => undefined);
  const engine = new Engine(ort, (file) => {
    const p = early.get(file);
    early.delete(file); // used once: a retry fetches again
    return p ?? fetchModel(file);
  });
  const total = manifest.models.length;
  report({ type: 'loading', stage: 'models', loaded: 0, total });
  let loaded = 0;
  // All sessions in parallel: the wasm runtime is fetched and compiled once by the first.
  await Promise.all(
    manifest.models.map((m) =>
      engine.session(m).then(
        () => report({ type: 'loading', stage: 'models', loaded: ++loaded, total }),
        (e: unknown) => report({ type: 'model-error', modelId: m.id, message: errorMessage(e) }),
      ),
    ),
  );
  // A runtime that failed its check compiled nothing; say why in words, not as the compiler's error.
  if (runtimeCheck?.ok === false) throw new Error(runtimeCheck.message);
  const model = (id: string) => {
    const m = manifest.models.find((x) => x.id === id);
    if (!m) throw new Error(`Unknown model "${id}": it is not in manifest.json`);
    return m;
  };
  return { manifest, engine, model, integrityMs: runtimeCheck?.ok ? runtimeCheck.ms : null };
}

/** Every model run a few times (see Engine.warmUp); a model that failed to load is skipped. */
export async function warmUp(m: LoadedModels): Promise<LoadedModels> {
  for (const entry of m.manifest.models) await m.engine.warmUp(entry).catch(() => undefined);
  return m;
}
