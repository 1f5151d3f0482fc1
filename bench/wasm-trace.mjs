// What V8 does with the WebAssembly runtime during one visit, from a Chromium trace: whether the
// compiled code came from Chromium's code cache (or was written to it), how many functions were
// compiled lazily on first call (on the worker's own thread, on the way to the first
// probability), and the time spent in each kind of compile. The repeat-visit part runs it on a
// visit of the persistent profile, so that "the code cache keeps the runtime" is checked, not
// assumed.

/** Trace categories with V8's wasm events and Blink's code-cache events for wasm responses. */
const CATEGORIES = ['v8.wasm', 'disabled-by-default-v8.wasm.detailed', 'devtools.timeline', 'disabled-by-default-devtools.timeline'].join(',');

/** Summarise the wasm events of a trace. Exported for its test. */
export function summariseWasmTrace(events) {
  const count = (re) => events.filter((e) => re.test(e.name)).length;
  const total = (name) => Math.round(events.filter((e) => e.name === name && e.dur).reduce((a, e) => a + e.dur / 1000, 0));
  return {
    // Blink's own events around V8's code cache for a wasm response.
    cache_hit: count(/^v8\.wasm\.moduleCacheHit$/) > 0,
    cache_invalid: count(/^v8\.wasm\.moduleCacheInvalid$/) > 0,
    cache_written: count(/^v8\.wasm\.cachedModule$/) > 0,
    streaming_compiles: count(/^wasm\.StartStreamingCompilation$/),
    lazy_compiled_functions: count(/^wasm\.CompileLazy$/),
    lazy_compile_ms: total('wasm.CompileLazy'),
    top_tier_functions: count(/^wasm\.TopTierCompilation$/),
    top_tier_compile_ms: total('wasm.TopTierCompilation'),
    streaming_decode_ms: total('v8.wasm.compileConsume'),
  };
}

/**
 * Chromium's trace of `page` (a tab of `context`) while `work` runs, with the categories above:
 * `work`'s result and the trace's events.
 */
export async function traceWhile(context, page, work) {
  const cdp = await context.newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', { categories: CATEGORIES, transferMode: 'ReportEvents' });
  const value = await work();
  await cdp.send('Tracing.end');
  await complete;
  return { value, events };
}

/** One visit of `url` in a new tab of `context`, traced until the first probability shows (and 3 s more). */
export async function tracedVisit(context, url) {
  const page = await context.newPage();
  try {
    const { value: controlled, events } = await traceWhile(context, page, async () => {
      await page.goto(`${url}#/heart`);
      await page.getByRole('group', { name: 'Examples' }).getByRole('button').first().click({ timeout: 60_000 });
      await page.getByTestId('probability').waitFor({ timeout: 60_000 });
      // Chromium writes a module's code to its cache a while after the compile, if at all.
      await page.waitForTimeout(3000);
      return page.evaluate(() => navigator.serviceWorker?.controller != null);
    });
    return { controlled, ...summariseWasmTrace(events) };
  } finally {
    await page.close();
  }
}
