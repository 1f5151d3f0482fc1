// Cold start, warm prediction latency and first-view bytes of the production build.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliSize, gzipSize, launch, launchPersistent, median, percentile, smoke } from './lib.mjs';
import { tracedVisit } from './wasm-trace.mjs';

/** The link of the throttled cold start: Chromium's network emulation, 10 Mbit/s both ways, 40 ms round trip. */
export const throttledLink = { offline: false, latency: 40, downloadThroughput: 10e6 / 8, uploadThroughput: 10e6 / 8 };

/**
 * Navigation to the first probability rendered, in a fresh context (empty cache). With
 * `throttle`, over Chromium's network emulation (it covers the page's workers too).
 */
export async function coldStart(browser, url, { throttle = null } = {}) {
  const context = await browser.newContext();
  try {
    return await visit(context, url, { throttle });
  } finally {
    await context.close();
  }
}

/**
 * Repeat visits: one persistent browser profile; the first visit installs the service worker
 * (main.tsx registers it once the models are ready) and waits until it controls the page and has
 * precached the site; then `n` visits in new tabs of the same profile, every file from its cache.
 */
export async function repeatVisits(url, n) {
  const dir = mkdtempSync(join(tmpdir(), 'prognos-bench-profile-'));
  const context = await launchPersistent(dir);
  try {
    const first = await context.newPage();
    await first.goto(`${url}#/heart`);
    await first
      .getByTestId('probability')
      .waitFor({ state: 'attached', timeout: 60_000 })
      .catch(() => undefined);
    await first.waitForFunction(() => navigator.serviceWorker?.controller !== null, null, { timeout: 60_000 });
    await first.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    // Give the precache a moment to finish writing, and V8 to write its code cache.
    await first.waitForTimeout(3000);
    await first.close();
    const runs = [];
    for (let i = 0; i < n; i++) {
      const v = await visit(context, url, { controlled: true });
      runs.push(v);
    }
    // One more visit, traced: did the runtime's compiled code come from Chromium's code cache?
    const wasm = await tracedVisit(context, url);
    return { runs, wasm };
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function visit(context, url, { throttle = null, controlled = false } = {}) {
  const page = await context.newPage();
  if (throttle) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', throttle);
  }
  const bytes = [];
  page.on('response', (r) => {
    const u = new URL(r.url());
    if (u.origin === new URL(url).origin) bytes.push({ path: u.pathname, gz: gzipSize(u.pathname), br: brotliSize(u.pathname), at: Date.now() });
  });
  // From inside the page: click the form's first example the moment it is enabled (as an eager
  // user would, without Playwright's polling delay), and note when the probability shows.
  await page.addInitScript(() => {
    let clicked = false;
    new MutationObserver((_, obs) => {
      if (window.__formAt === undefined && document.querySelector('form input:not([disabled])')) window.__formAt = performance.now();
      const preset = document.querySelector('[role="group"][aria-label="Examples"] button');
      if (!clicked && preset && !preset.disabled) {
        clicked = true;
        window.__readyAt = performance.now();
        window.__readyWall = Date.now();
        preset.click();
      }
      if (document.querySelector('[data-testid="probability"]')) {
        window.__firstProbability = performance.now();
        obs.disconnect();
      }
    }).observe(document, { childList: true, subtree: true, attributes: true });
  });
  await page.goto(`${url}#/heart`);
  await page.getByTestId('probability').waitFor();
  const { ms, readyWall, stages, fromServiceWorker } = await page.evaluate(() => {
    const mark = (name) => performance.getEntriesByName(name)[0]?.startTime ?? null;
    const resource = (re) => performance.getEntriesByType('resource').find((e) => re.test(e.name))?.responseEnd ?? null;
    return {
      ms: window.__firstProbability,
      readyWall: window.__readyWall,
      // Each stage's end, ms after navigation start. Marks (prognos:*) exist only in builds that
      // set them (src/main.tsx, the worker's ready message); the others any build shows.
      stages: {
        html: performance.getEntriesByType('navigation')[0]?.responseEnd ?? null,
        main_script: mark('prognos:main'),
        first_paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
        form_usable: window.__formAt ?? null,
        worker_started: mark('prognos:workerStart'),
        worker_script_evaluated: mark('prognos:workerEvaluated'),
        load_message_handled: mark('prognos:loadAsked'),
        manifest_parsed: mark('prognos:manifestParsed'),
        runtime_asked: mark('prognos:runtimeAsked'),
        runtime_fetched: mark('prognos:runtimeFetched') ?? resource(/\.wasm$/),
        runtime_compiled: mark('prognos:runtimeCompiled'),
        integrity_checked: mark('prognos:integrityChecked'),
        sessions_created: mark('prognos:sessions'),
        examples_enabled: window.__readyAt ?? null,
        first_probability: window.__firstProbability,
      },
      fromServiceWorker: navigator.serviceWorker?.controller !== null && navigator.serviceWorker?.controller !== undefined,
    };
  });
  if (controlled && !fromServiceWorker) throw new Error('repeat visit: the service worker did not control the page');
  await page.waitForLoadState('networkidle');
  await page.close();
  // The first view: everything loaded until the form is ready to predict; then what the
  // first result adds (the charts, loaded on demand).
  return { ms, stages, bytes: bytes.map((b) => ({ ...b, firstView: b.at <= readyWall })) };
}

/** Median of each stage over the runs (null where a build does not mark that stage). */
export function stageMedians(runs) {
  const names = Object.keys(runs[0] ?? {});
  return Object.fromEntries(
    names.map((n) => {
      const xs = runs.map((r) => r[n]).filter((x) => typeof x === 'number');
      return [n, xs.length === runs.length ? Math.round(median(xs) * 10) / 10 : null];
    }),
  );
}

/** Submit to result rendered, measured in the page; plus the session.run time the worker reports. */
export async function warm(browser, url, n) {
  const page = await browser.newPage();
  await page.goto(`${url}#/heart`);
  await page.getByRole('group', { name: 'Examples' }).getByRole('button').first().click();
  await page.getByTestId('probability').waitFor();
  const res = await page.evaluate(async (n) => {
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Predict');
    const result = () => document.querySelector('.result');
    const total = [];
    const commit = [];
    const run = [];
    const idle = async () => {
      // A settled page, as a person's next click finds it: the previous result's
      // explanation and deferred charts are done.
      while (button.disabled) await new Promise((r) => setTimeout(r, 1));
      await new Promise((r) => requestIdleCallback(() => r(), { timeout: 500 }));
    };
    for (let i = 0; i < n; i++) {
      await idle();
      const before = Number(result().dataset.resultSeq);
      const t0 = performance.now();
      await new Promise((resolve) => {
        const obs = new MutationObserver(() => {
          if (Number(result()?.dataset.resultSeq) > before) {
            commit.push(performance.now() - t0);
            obs.disconnect();
            resolve();
          }
        });
        obs.observe(document.body, { subtree: true, attributes: true, childList: true });
        button.click();
      });
      // The frame that shows it: rAF runs just before that frame is painted.
      await new Promise((r) => requestAnimationFrame(() => r()));
      total.push(performance.now() - t0);
      run.push(Number(result().dataset.runMs));
    }
    return { total, commit, run };
  }, n);
  await page.close();
  return res;
}

/**
 * What-if curves: the batched call's own time (the page's `prognos:what-if` measure) and the time
 * from the result in the DOM to the curves' probabilities back, for n predictions.
 */
export async function whatIf(browser, url, n) {
  const page = await browser.newPage();
  await page.goto(`${url}#/heart`);
  await page.getByRole('group', { name: 'Examples' }).getByRole('button').first().click();
  await page.locator('[data-what-if-ms]').waitFor();
  const res = await page.evaluate(async (n) => {
    const name = 'prognos:what-if';
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Predict');
    const result = () => document.querySelector('.result');
    const call = [];
    const after = [];
    for (let i = 0; i < n; i++) {
      while (button.disabled) await new Promise((r) => setTimeout(r, 1));
      await new Promise((r) => requestIdleCallback(() => r(), { timeout: 500 }));
      const count = performance.getEntriesByName(name).length;
      const before = Number(result().dataset.resultSeq);
      button.click();
      let shown = 0;
      for (;;) {
        if (!shown && Number(result()?.dataset.resultSeq) > before) shown = performance.now();
        const es = performance.getEntriesByName(name);
        if (shown && es.length > count) {
          const e = es.at(-1);
          call.push(e.duration);
          after.push(Math.max(0, e.startTime + e.duration - shown));
          break;
        }
        await new Promise((r) => setTimeout(r, 0));
      }
    }
    return { call, after };
  }, n);
  await page.close();
  return res;
}

/**
 * `url`: this build, plain static server. `baseUrl`: the base commit's build on the same kind
 * of server (cold starts alternate between the two, for a ratio under the same load).
 * `brotliUrl`: this build served with its pre-compressed files, for the throttled link.
 */
export async function benchApp(url, { baseUrl = null, brotliUrl = null } = {}) {
  const browser = await launch();
  try {
    const colds = [];
    const baseColds = [];
    const stages = [];
    const baseStages = [];
    let bytes = [];
    const coldRuns = smoke ? 1 : 5;
    for (let i = 0; i < coldRuns; i++) {
      const c = await coldStart(browser, url);
      colds.push(c.ms);
      stages.push(c.stages);
      bytes = c.bytes;
      if (baseUrl) {
        const b = await coldStart(browser, baseUrl);
        baseColds.push(b.ms);
        baseStages.push(b.stages);
      }
    }
    const { runs: repeat, wasm } = await repeatVisits(url, coldRuns);
    const throttled = [];
    if (brotliUrl) for (let i = 0; i < 3; i++) throttled.push((await coldStart(browser, brotliUrl, { throttle: throttledLink })).ms);
    const w = await warm(browser, url, smoke ? 5 : Number(process.env.BENCH_WARM_N ?? 200));
    const wi = await whatIf(browser, url, smoke ? 3 : Number(process.env.BENCH_WHAT_IF_N ?? 30));
    const sizes = (list, key = 'gz') => {
      const unique = new Map(list.map((b) => [b.path, b[key]]));
      const sum = (f) => [...unique].filter(([p]) => f(p)).reduce((a, [, g]) => a + g, 0);
      return {
        total: sum(() => true),
        javascript: sum((p) => /\.m?js$/.test(p)),
        wasm: sum((p) => p.endsWith('.wasm')),
        models: sum((p) => p.endsWith('.onnx')),
        files: Object.fromEntries(unique),
      };
    };
    const first = sizes(bytes.filter((b) => b.firstView));
    const withResult = sizes(bytes);
    return {
      cold_start_ms: { median: median(colds), runs: colds },
      cold_start_stages_ms: stageMedians(stages),
      repeat_visit_ms: { median: median(repeat.map((r) => r.ms)), runs: repeat.map((r) => r.ms) },
      repeat_visit_stages_ms: stageMedians(repeat.map((r) => r.stages)),
      repeat_visit_wasm: wasm,
      ...(baseUrl ? { base_cold_start_stages_ms: stageMedians(baseStages) } : {}),
      ...(baseUrl ? { base_cold_start_ms: { median: median(baseColds), runs: baseColds } } : {}),
      ...(brotliUrl ? { throttled_cold_start_ms: { median: median(throttled), runs: throttled, link: throttledLink } } : {}),
      first_view_brotli_bytes: sizes(
        bytes.filter((b) => b.firstView),
        'br',
      ),
      warm_submit_to_render_ms: { median: median(w.total), p95: percentile(w.total, 0.95), n: w.total.length },
      warm_submit_to_dom_ms: { median: median(w.commit), p95: percentile(w.commit, 0.95), n: w.commit.length },
      warm_inference_call_ms: { median: median(w.run), p95: percentile(w.run, 0.95), n: w.run.length },
      what_if_call_ms: { median: median(wi.call), p95: percentile(wi.call, 0.95), n: wi.call.length },
      what_if_after_result_ms: { median: median(wi.after), p95: percentile(wi.after, 0.95), n: wi.after.length },
      first_view_gzip_bytes: first,
      with_first_result_gzip_bytes: withResult,
    };
  } finally {
    await browser.close();
  }
}
