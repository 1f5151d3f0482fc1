import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import { IntegrityError, mismatchMessage, pins, sha256Hex } from '@/inference/integrity';

/**
 * The WebAssembly runtime's download, compile and check against the sha256 pinned at build. A
 * worker's entry starts all three on its first line (prefetchRuntime), long before
 * onnxruntime-web asks for the runtime (after its own script, the model list and a first model
 * file): the compile runs on the engine's background threads while this worker evaluates its
 * script and reads the model list. The compiler gets the network's (or the service worker's)
 * own response, streaming: Chromium keeps compiled code between visits only for such a
 * response. The check reads a copy of the same bytes alongside; the module is handed over only
 * once the check has passed, so a changed runtime is refused before any of its code runs. No
 * onnxruntime-web import here: a worker's entry starts this before anything else.
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
 * Compile `response` (streaming) while a copy of it is checked: the module once both are done
 * and the check passed. A failed check wins over whatever the compiler said. A host that serves
 * the runtime without the application/wasm type makes the streaming compile refuse it: the
 * checked copy is compiled instead.
 */
export async function compileChecked(
  compile: typeof WebAssembly.compileStreaming,
  response: Response,
  {
    expected = pins.runtime,
    times,
    compileBytes = (b) => WebAssembly.compile(b),
  }: { expected?: string; times?: RuntimeTimes; compileBytes?: (bytes: ArrayBuffer) => Promise<WebAssembly.Module> } = {},
): Promise<WebAssembly.Module> {
  const note = (k: keyof RuntimeTimes) => times && (times[k] = epoch());
  const checked = response
    .clone()
    .arrayBuffer()
    .then(async (bytes) => {
      note('fetched');
      await checkRuntimeBytes(bytes, expected);
      note('checked');
      return bytes;
    });
  const [c, m] = await Promise.allSettled([checked, compile(response)]);
  if (c.status === 'rejected') throw c.reason;
  const module = m.status === 'fulfilled' ? m.value : await compileBytes(c.value);
  note('compiled');
  return module;
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

/** Download, compile and check the runtime, with this worker's own fetch and compiler. */
export function prepareRuntime(fetchFn: typeof fetch = self.fetch.bind(self)): PreparedRuntime {
  const times: RuntimeTimes = { fetched: null, checked: null, compiled: null };
  const compile = WebAssembly.compileStreaming.bind(WebAssembly);
  const module = fetchRuntime(fetchFn).then((r) => compileChecked(compile, r, { times }));
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
