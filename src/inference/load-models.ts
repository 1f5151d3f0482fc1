import { errorMessage } from '@/domain/errors';
import { parseManifest, type Manifest, type ModelEntry } from '@/domain/manifest';
import * as ort from 'onnxruntime-web/wasm';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import { Engine } from './engine';

/** What loading reports as it goes (the inference worker forwards it to the page; a helper ignores it). */
export type LoadEvent =
  | { type: 'loading'; stage: 'manifest' | 'models'; loaded: number; total: number }
  | { type: 'model-error'; modelId: string; message: string };

/** A worker's loaded models: the manifest, one engine, and a lookup that names an unknown id. */
export interface LoadedModels {
  manifest: Manifest;
  engine: Engine;
  model(id: string): ModelEntry;
}

// Shared by both worker entries. The runtime comes from our own origin; a worker is already
// off the main thread, and static hosts are rarely cross-origin isolated, so no proxy and no threads.
ort.env.wasm.wasmPaths = { wasm: wasmUrl };
ort.env.wasm.numThreads = 1;
ort.env.wasm.proxy = false;

/** Fetch the manifest and create every model's session; a model that fails is reported, the rest still load. */
export async function loadModels(manifestUrl: string, report: (e: LoadEvent) => void = () => undefined): Promise<LoadedModels> {
  report({ type: 'loading', stage: 'manifest', loaded: 0, total: 1 });
  const res = await fetch(manifestUrl);
  if (!res.ok) throw new Error(`Could not load the model list (${manifestUrl}: HTTP ${res.status})`);
  const manifest = parseManifest(await res.json());
  const base = new URL('.', res.url || manifestUrl);
  const engine = new Engine(ort, async (file) => {
    const r = await fetch(new URL(file, base));
    if (!r.ok) throw new Error(`Could not load model file ${file} (HTTP ${r.status})`);
    return r.arrayBuffer();
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
  const model = (id: string) => {
    const m = manifest.models.find((x) => x.id === id);
    if (!m) throw new Error(`Unknown model "${id}": it is not in manifest.json`);
    return m;
  };
  return { manifest, engine, model };
}

/** Every model run a few times (see Engine.warmUp); a model that failed to load is skipped. */
export async function warmUp(m: LoadedModels): Promise<LoadedModels> {
  for (const entry of m.manifest.models) await m.engine.warmUp(entry).catch(() => undefined);
  return m;
}
