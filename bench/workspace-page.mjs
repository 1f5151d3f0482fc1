// The fleet workspace bench's page side (workspace.mjs, workspace-big.mjs): a probe installed
// before the app, the heaps of the page and its workers, and one keep, append or reopen timed in
// the page. The browser keeps its profile on disk.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumArgs, median } from './lib.mjs';

export const SETTLE_MS = 2000;
const KEPT = 'The fleet workspace kept in this browser';
const DAY_MS = 86_400_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const int = (n) => Math.round(n).toLocaleString('en-US');
export const MiB = (b) => `${(b / 1024 / 1024).toFixed(0)} MiB`;
export const ms0 = (x) => `${Math.round(x)} ms`;
export const addDays = (iso, n) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/**
 * Installed before the app on every navigation: long tasks, the file's change event, the fleet
 * run's summary from the worker, and the moment the awaited list is in the DOM: the ranking
 * heading on the expected date (the latest in the log), with the append's summary (after an
 * append) or the kept workspace's run heading (on a reopen). What is awaited survives a reload
 * in sessionStorage.
 */
function probe(KEPT) {
  const wait = JSON.parse(sessionStorage.getItem('bench.wait') ?? 'null');
  const b = (window.__bench = { long: [], changeAt: null, wait, listAt: null, paintAt: null, done: null, supported: false });
  b.posted = {};
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    postMessage(m, ...rest) {
      const t = m?.type;
      if (typeof t === 'string') (b.posted[t] ??= []).push(performance.now());
      return super.postMessage(m, ...rest);
    }
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (e.data?.type === 'fleet-done') b.done = { status: e.data.status, summary: e.data.summary, at: performance.now() };
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
      if (e.target instanceof HTMLInputElement && e.target.type === 'file' && b.wait?.append) b.changeAt = performance.now();
    },
    true,
  );
  new MutationObserver(() => {
    const w = b.wait;
    if (!w || b.listAt !== null) return;
    if (w.append && (b.changeAt === null || b.done === null || b.done.at < b.changeAt)) return;
    const h = document.getElementById('fleet-today-title');
    if (!h || !h.textContent.includes(`Ranking on ${w.day} (the latest date in the log)`)) return;
    if (w.append && !document.querySelector('[data-testid="workspace-append"]')) return;
    if (w.reopen && ![...document.querySelectorAll('h1,h2,h3,h4')].some((x) => x.textContent.includes(KEPT))) return;
    b.listAt = performance.now();
    b.appendText = document.querySelector('[data-testid="workspace-append"]')?.textContent ?? null;
    b.keptText = document.querySelector('[data-testid="workspace-kept"]')?.textContent ?? null;
    requestAnimationFrame(() => setTimeout(() => (b.paintAt = performance.now()), 0));
  }).observe(document, { childList: true, subtree: true, characterData: true });
}

/** JS heap of the page and of each worker (CDP Runtime.getHeapUsage), and a forced collection. */
export async function heapProbe(page) {
  const cdp = await page.context().newCDPSession(page);
  const workers = new Map(); // sessionId -> url
  const pending = new Map();
  let nextId = 1;
  cdp.on('Target.attachedToTarget', (e) => {
    if (e.targetInfo.type === 'worker') workers.set(e.sessionId, e.targetInfo.url);
  });
  cdp.on('Target.detachedFromTarget', (e) => workers.delete(e.sessionId));
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const m = JSON.parse(e.message);
    pending.get(m.id)?.(m.result ?? null);
    pending.delete(m.id);
  });
  await cdp.send('Runtime.enable').catch(() => {});
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  const inWorker = (sessionId, method, timeout = 5000) => {
    const id = nextId++;
    const answer = new Promise((r) => {
      pending.set(id, r);
      setTimeout(() => r(null), timeout);
    });
    return cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) }).then(
      () => answer,
      () => null,
    );
  };
  const short = (u) =>
    u
      .split('/')
      .pop()
      .replace(/-[\w-]{8}\.js$/, '.js');
  const usage = (r) => (r ? { used: r.usedSize, total: r.totalSize, backing: r.backingStorageSize ?? null } : null);
  const peak = { page: 0, workers: 0 };
  let running = false;
  let loop = null;
  const api = {
    async now() {
      const pageUse = usage(await cdp.send('Runtime.getHeapUsage').catch(() => null));
      const ws = [];
      for (const [s, url] of workers) ws.push({ worker: short(url), ...usage(await inWorker(s, 'Runtime.getHeapUsage')) });
      const sum = (k) => ws.reduce((a, w) => a + (w[k] ?? 0), 0);
      return { page: pageUse, workers: ws, workers_used: sum('used'), workers_backing: ws.some((w) => w.backing !== null) ? sum('backing') : null };
    },
    async gc() {
      await cdp.send('HeapProfiler.collectGarbage').catch(() => {});
      for (const s of workers.keys()) await inWorker(s, 'HeapProfiler.collectGarbage', 10_000);
    },
    start() {
      running = true;
      loop = (async () => {
        while (running) {
          const h = await api.now().catch(() => null);
          if (h) {
            peak.page = Math.max(peak.page, h.page?.used ?? 0);
            peak.workers = Math.max(peak.workers, h.workers_used);
          }
          await sleep(100);
        }
      })();
    },
    async stop() {
      running = false;
      await loop;
      return { ...peak };
    },
    workerCount: () => workers.size,
  };
  return api;
}

export async function openBrowser() {
  const dir = mkdtempSync(join(tmpdir(), 'prognos-ws-bench-'));
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const context = await chromium.launchPersistentContext(dir, { executablePath, args: chromiumArgs, headless: true });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.addInitScript(probe, KEPT);
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const setWait = (page, wait) =>
  page.evaluate((w) => {
    sessionStorage.setItem('bench.wait', JSON.stringify(w));
    Object.assign(window.__bench, { wait: w, changeAt: null, listAt: null, paintAt: null, done: null });
  }, wait);

const longest = (ts) => ts.reduce((a, t) => Math.max(a, t.duration), 0);
function tasks(b, from, to) {
  const during = b.long.filter((t) => t.start <= to && t.start + t.duration >= from);
  const after = b.long.filter((t) => t.start > to && t.start <= to + SETTLE_MS);
  return {
    max_ms: longest(during),
    over_50ms: during.filter((t) => t.duration > 50).length,
    all: during.map((t) => [Math.round(t.start - from), Math.round(t.duration)]),
    after_max_ms: longest(after),
    after_all: after.map((t) => [Math.round(t.start - from), Math.round(t.duration)]),
  };
}

/** The first file of a new workspace: keep on, then the file; resolves when its list is shown. */
export async function keepFirst(page, url, file, day, timeout) {
  await page.goto(`${url}#/device/fleet`);
  await page.getByLabel('Choose a daily log (CSV or Parquet)').waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => !document.querySelector('input[type=file]')?.disabled, null, { timeout: 30_000 });
  await page.getByLabel('Keep this fleet in this browser').check();
  await sleep(1500);
  await page.evaluate(() => navigator.serviceWorker?.ready.then(() => undefined));
  await setWait(page, { append: true, day });
  const t0 = performance.now();
  await page.getByLabel('Choose a daily log (CSV or Parquet)').setInputFiles(file);
  await page.waitForFunction(() => window.__bench.listAt !== null, null, { timeout, polling: 50 });
  const wall = performance.now() - t0;
  await sleep(SETTLE_MS);
  const b = await page.evaluate(() => window.__bench);
  return { wall_ms: wall, page_ms: b.listAt - b.changeAt, kept_text: b.keptText, timings: b.done?.summary?.timings ?? null };
}

/** One file appended to the kept workspace: the change event to the new list in the DOM (in the page). */
export async function appendOnce(page, file, day, timeout = 60_000) {
  await setWait(page, { append: true, day });
  const t0 = performance.now();
  await page.getByLabel("Append a day's export (CSV or Parquet)").setInputFiles(file);
  await page.waitForFunction(() => window.__bench.listAt !== null && window.__bench.paintAt !== null, null, { timeout, polling: 20 });
  const wall = performance.now() - t0;
  await sleep(SETTLE_MS);
  const b = await page.evaluate(() => window.__bench);
  const s = b.done.summary;
  const t = s.timings;
  return {
    day,
    page_ms: b.listAt - b.changeAt,
    paint_ms: b.paintAt - b.changeAt,
    wall_ms: wall,
    worker_done_ms: b.done.at - b.changeAt,
    done_to_list_ms: b.listAt - b.done.at,
    rows_read: s.rowsRead,
    added: s.merge.added,
    replaced: s.merge.replaced,
    scored: s.merge.scored,
    readings: s.workspace?.readings ?? null,
    bytes: s.workspace?.bytes ?? null,
    saved: s.workspace?.saved ?? null,
    timings: t,
    // The worker's time outside reading the file, scoring and ranking: the kept log read from
    // IndexedDB, the merge, and the whole workspace written back.
    worker_store_merge_ms: t.totalMs - t.parseMs - t.scoringMs - t.rankMs,
    append_text: b.appendText,
    kept_text: b.keptText,
    longtasks: tasks(b, b.changeAt, b.listAt),
  };
}

/** The page reloaded on the kept workspace: navigation start to the kept list in the DOM. */
export async function reopenOnce(page, day, timeout = 60_000) {
  await setWait(page, { reopen: true, day });
  const t0 = performance.now();
  await page.reload();
  await page.waitForFunction(() => window.__bench.listAt !== null && window.__bench.paintAt !== null, null, { timeout, polling: 20 });
  const wall = performance.now() - t0;
  await sleep(SETTLE_MS);
  const b = await page.evaluate(() => window.__bench);
  const nav = await page.evaluate(() => {
    const n = performance.getEntriesByType('navigation')[0];
    return n ? { dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd } : null;
  });
  const t = b.done?.summary?.timings ?? null;
  return {
    page_ms: b.listAt,
    paint_ms: b.paintAt,
    // When the page asked the worker to open the kept workspace, and its other first messages.
    open_asked_ms: b.posted['fleet-open']?.at(-1) ?? null,
    first_posts_ms: Object.fromEntries(Object.entries(b.posted).map(([k, v]) => [k, Math.round(v[0])])),
    wall_ms: wall,
    worker_done_ms: b.done?.at ?? null,
    done_to_list_ms: b.done ? b.listAt - b.done.at : null,
    dom_content_loaded_ms: nav?.dcl ?? null,
    timings: t,
    // The worker's open: the kept log read from IndexedDB (and the lock), outside ranking.
    worker_read_ms: t ? t.totalMs - t.parseMs - t.scoringMs - t.rankMs : null,
    kept_text: b.keptText,
    longtasks: tasks(b, 0, b.listAt),
  };
}

/** An append's parts, as the table shows them. */
export const appendParts = (a) =>
  `worker ${ms0(a.timings.totalMs)}: read the file ${ms0(a.timings.parseMs)}, scoring ${ms0(a.timings.scoringMs)}, ranking ${ms0(a.timings.rankMs)}, kept log read + merge + written back ${ms0(a.worker_store_merge_ms)} (read + merge ${ms0(a.timings.keptMs)}, written ${ms0(a.timings.storeMs)}); list ${ms0(a.done_to_list_ms)}`;
export const appendLine = (a) =>
  `${ms0(a.page_ms)} (${appendParts(a)}); longest task ${ms0(a.longtasks.max_ms)} / after ${ms0(a.longtasks.after_max_ms)}`;

export const stats = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length });
