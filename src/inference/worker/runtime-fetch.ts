import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import { IntegrityError, mismatchMessage, pins, sha256Hex } from '@/inference/integrity';

/**
 * The WebAssembly runtime's download, compile and check against the sha256 pinned at build. A
 * worker's entry starts all three on its first line (prefetchRuntime), long before
 * onnxruntime-web asks for the runtime (after its own script, the model list and a first model
 * file). The bytes are read once; the compile (on the engine's background threads) and the check
 * run side by side on them, and the module is handed over only once the check has passed, so a
 * changed runtime is refused before any of its code runs. No streaming compile: checking its
 * bytes meant teeing the response, which in Chromium slowed the download and this worker's
 * thread (the model list waited behind it) by more than streaming saved, and Chromium did not
 * keep the streamed module's code between visits either (docs/speed.md). No onnxruntime-web
 * import here: a worker's entry starts this before anything else.
 */

/** The runtime's address as this worker sees it. */
export const runtimeHref = (): string => new URL(wasmUrl, self.location.href).href;

/** When each step of the runtime's preparation ended (ms since the epoch), for the bench's breakdown. */
export interface RuntimeTimes {
  fetched: number | null;
  checked: number | null;
  compiled: number | null;
}

const epoch = (): number => performance.timeOrigin + performance.now();

/** Rejects in words when `bytes` are not the runtime pinned at build. */
export async function checkRuntimeBytes(bytes: ArrayBuffer, expected: string = pins.runtime): Promise<void> {
  const got = await sha256Hex(bytes);
  if (got !== expected) throw new IntegrityError(mismatchMessage('The WebAssembly runtime', expected, got));
}

/**
 * Read `response` whole, then compile its bytes while the same bytes are checked: the module
 * once both are done and the check passed. A failed check wins over whatever the compiler said.
 * The bytes are read once, natively (Response.arrayBuffer): a streaming compile needed a second
 * copy for the check (Response.clone tees the body), and in Chromium the tee slowed the download
 * itself more than streaming saved (bench/tmp notes in docs/speed.md).
 */
export async function compileChecked(
  response: Response,
  {
    expected = pins.runtime,
    times,
    compileBytes = (b) => WebAssembly.compile(b),
  }: { expected?: string; times?: RuntimeTimes; compileBytes?: (bytes: ArrayBuffer) => Promise<WebAssembly.Module> } = {},
): Promise<WebAssembly.Module> {
  const note = (k: keyof RuntimeTimes) => times && (times[k] = epoch());
  const bytes = await response.arrayBuffer();
  note('fetched');
  const checked = checkRuntimeBytes(bytes, expected).then(() => note('checked'));
  const [c, m] = await Promise.allSettled([checked, compileBytes(bytes)]);
  if (c.status === 'rejected') throw c.reason;
  if (m.status === 'rejected') throw m.reason;
  note('compiled');
  return m.value;
}

/** The runtime's download (the network's response, unchecked: compileChecked checks it). */
export function fetchRuntime(fetchFn: typeof fetch = self.fetch.bind(self)): Promise<Response> {
  return fetchFn(runtimeHref(), { credentials: 'same-origin' });
}

/** The runtime's module, checked; started by prefetchRuntime, taken by loadModels. */
export interface PreparedRuntime {
  module: Promise<WebAssembly.Module>;
  times: RuntimeTimes;
}

/**
 * Download, compile and check the runtime, with this worker's own fetch and compiler: at once, or
 * once `after` has settled (succeeded or not).
 */
export function prepareRuntime(fetchFn: typeof fetch = self.fetch.bind(self), after: Promise<unknown> | null = null): PreparedRuntime {
  const times: RuntimeTimes = { fetched: null, checked: null, compiled: null };
  const response = after ? after.catch(() => undefined).then(() => fetchRuntime(fetchFn)) : fetchRuntime(fetchFn);
  const module = response.then((r) => compileChecked(r, { times }));
  module.catch(() => undefined);
  return { module, times };
}

let early: PreparedRuntime | null = null;

/** Start the download and compile now (a worker entry's first line); loadModels takes it over. */
export function prefetchRuntime(): void {
  if (typeof WorkerGlobalScope === 'undefined' || early) return;
  early = prepareRuntime();
}

/** The preparation started by prefetchRuntime, once (null if none was started). */
export function takePrefetchedRuntime(): PreparedRuntime | null {
  const r = early;
  early = null;
  return r;
}
