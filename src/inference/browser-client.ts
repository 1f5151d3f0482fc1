import runtimeUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import { InferenceClient } from './client';

/**
 * The client of the built site: module workers from their own entry files, the slim manifest
 * next to the page (models/manifest.core.json, without the card curves; derived at build time
 * by src/build/model-core.ts), and the runtime's download started by the page.
 */
export function createBrowserInference(): InferenceClient {
  return new InferenceClient(
    // Two literal `new Worker(new URL(...))` calls: Vite bundles each entry only when written this way.
    (role, name) =>
      role === 'helper'
        ? new Worker(new URL('./worker/helper.worker.ts', import.meta.url), { type: 'module', name })
        : new Worker(new URL('./worker/inference.worker.ts', import.meta.url), { type: 'module', name }),
    () => new URL('models/manifest.core.json', document.baseURI).href,
    downloadRuntime,
  );
}

/**
 * The runtime's download, started by the page (which index.html's preload has already begun,
 * see src/build/preload.ts) and streamed to the inference worker as it arrives, so that it
 * overlaps the worker's own script instead of following it.
 */
function downloadRuntime(): ReadableStream<Uint8Array> | null {
  if (typeof TransformStream === 'undefined') return null;
  // A queue as large as the runtime: the page's download (and so its load event) never waits
  // for the worker to read.
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>({}, new ByteLengthQueuingStrategy({ highWaterMark: 64 << 20 }));
  fetch(runtimeUrl)
    .then(
      (r) => (r.ok && r.body ? r.body.pipeTo(writable) : writable.abort(new Error(`HTTP ${r.status}`))),
      (e: unknown) => writable.abort(e),
    )
    .catch(() => undefined);
  return readable;
}
