// The page probe the batch and fleet benches install before the app's own scripts (Playwright's
// addInitScript(pageProbe, options)): long tasks, the file input's change event, the worker's
// done message (read next to the app's own listener, never changed), and the moment the result
// the bench waits for is in the DOM, with the texts it reports. Serialised into the page: it
// uses nothing from this module's scope.

/**
 * @param {{ doneType: string, countType?: string | null, mark: string, selector: string, texts: Record<string, string> }} o
 *   doneType: the worker message that ends the run; countType: a message counted in `chunks`;
 *   mark: the name of the arrival time in window.__bench; selector: what arrives; texts: names
 *   and selectors of the texts read at that moment.
 */
export function pageProbe({ doneType, countType = null, mark, selector, texts }) {
  const b = (window.__bench = { long: [], changeAt: null, [mark]: null, supported: false, done: null, chunks: 0 });
  for (const k of Object.keys(texts)) b[k] = null;
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (countType !== null && e.data?.type === countType) b.chunks++;
        if (e.data?.type === doneType) b.done = { status: e.data.status, progress: e.data.progress, summary: e.data.summary, at: performance.now() };
      });
    }
  };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.long.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    b.supported = PerformanceObserver.supportedEntryTypes.includes('longtask');
  } catch {
    b.supported = false;
  }
  document.addEventListener(
    'change',
    (e) => {
      if (e.target instanceof HTMLInputElement && e.target.type === 'file') b.changeAt = performance.now();
    },
    true,
  );
  new MutationObserver(() => {
    if (b.changeAt === null || b[mark] !== null) return;
    if (!document.querySelector(selector)) return;
    b[mark] = performance.now();
    for (const [k, sel] of Object.entries(texts)) b[k] = document.querySelector(sel)?.textContent ?? null;
  }).observe(document, { childList: true, subtree: true });
}
