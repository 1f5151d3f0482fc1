import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import { mismatchMessage, pins, sha256Hex } from '@/inference/integrity';

/**
 * The WebAssembly runtime's download and its check against the sha256 pinned at build. The
 * compiler gets the network's (or the service worker's) own response, streaming: Chromium keeps
 * compiled code between visits only for such a response. The check reads a copy of the same
 * bytes alongside the compile, off its path; the instance is handed over only once the check has
 * passed, and a changed runtime is refused before any of its code runs (instantiating runs none:
 * the runtime has no start function, onnxruntime-web calls into it afterwards). No
 * onnxruntime-web import here: a worker's entry starts this download before anything else.
 */

/** The runtime's address as this worker sees it. */
export const runtimeHref = (): string => new URL(wasmUrl, self.location.href).href;

/** Resolves when `copy` (the runtime's bytes) has the pinned sha256; rejects in words otherwise. */
export async function checkRuntime(copy: Response, expected: string = pins.runtime, onFetched: () => void = () => undefined): Promise<void> {
  const bytes = await copy.arrayBuffer();
  onFetched();
  const got = await sha256Hex(bytes);
  if (got !== expected) throw new Error(mismatchMessage('The WebAssembly runtime', expected, got));
}

/**
 * WebAssembly.instantiateStreaming for the runtime: the compile and the check of a copy run side
 * by side, and the instance is returned only when both are done and the check passed.
 */
export function instantiateChecked(
  instantiate: typeof WebAssembly.instantiateStreaming,
  response: Response,
  imports: WebAssembly.Imports | undefined,
  {
    expected = pins.runtime,
    onFetched = () => undefined,
    onChecked = () => undefined,
  }: { expected?: string; onFetched?: () => void; onChecked?: () => void } = {},
): Promise<WebAssembly.WebAssemblyInstantiatedSource> {
  const check = checkRuntime(response.clone(), expected, onFetched).then(onChecked);
  const compiled = instantiate(response, imports);
  // Neither waits for the other; a failed check wins over whatever the compiler said.
  return Promise.allSettled([check, compiled]).then(([c, r]) => {
    if (c.status === 'rejected') throw c.reason;
    if (r.status === 'rejected') throw r.reason;
    return r.value;
  });
}

/** The runtime's download (the network's response, unchecked: instantiateChecked checks it). */
export function fetchRuntime(fetchFn: typeof fetch = self.fetch.bind(self)): Promise<Response> {
  return fetchFn(runtimeHref(), { credentials: 'same-origin' });
}

let early: Promise<Response> | null = null;

/** Start the download now (a worker entry's first line); loadModels takes it over. */
export function prefetchRuntime(): void {
  if (typeof WorkerGlobalScope === 'undefined' || early) return;
  early = fetchRuntime();
  early.catch(() => undefined);
}

/** The download started by prefetchRuntime, once (null if none was started). */
export function takePrefetchedRuntime(): Promise<Response> | null {
  const r = early;
  early = null;
  return r;
}
