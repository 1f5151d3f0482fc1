// Fleet workspace speed (issue 21 part 5), side by side in one run:
// 1. a day's export appended to a workspace kept in this browser holding the rest of the full
//    device log (the file chosen to the new list shown), against re-reading the whole log in a
//    fresh load that keeps nothing (fleet.mjs's runOnce);
// 2. the page reopened on that workspace (navigation to the kept list shown);
// 3. a 1,000,000-reading generated log kept: page and worker heaps, a one-day append to it, and
//    three days each appended in a page reopened on it;
// 4. the main thread's long tasks during the appends and the reopens.
// The browser keeps its profile on disk (launchPersistentContext in a temporary directory), so
// IndexedDB is written to disk as for a user, not held in memory as in an incognito context.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { runOnce as fleetRunOnce } from './fleet.mjs';
import { chromiumArgs, dist, median, root, serveDist, smoke } from './lib.mjs';
import { makeFleetLog } from './make-fleet-log.mjs';

const REPS = Number(process.env.BENCH_WORKSPACE_REPS ?? 5);
const BIG_ROWS = Number(process.env.BENCH_BIG_ROWS ?? 1_000_000);
const SETTLE_MS = 2000;
const KEPT = 'The fleet workspace kept in this browser';
const DAY_MS = 86_400_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const int = (n) => Math.round(n).toLocaleString('en-US');
const MiB = (b) => `${(b / 1024 / 1024).toFixed(0)} MiB`;
const ms0 = (x) => `${Math.round(x)} ms`;
const addDays = (iso, n) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

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
async function heapProbe(page) {
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

async function openBrowser() {
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
async function keepFirst(page, url, file, day, timeout) {
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
async function appendOnce(page, file, day, timeout = 60_000) {
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
async function reopenOnce(page, day, timeout = 60_000) {
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

/** The full log split by date: the kept part, the last `n` dates as day files, and synthetic full-fleet days. */
function splitLog(deviceFile, dir, n) {
  const text = readFileSync(deviceFile, 'utf8');
  const lines = text.trimEnd().split('\n');
  const header = lines[0];
  const body = lines.slice(1);
  const dates = [...new Set(body.map((l) => l.slice(0, 10)))].sort();
  const days = dates.slice(-n);
  const keptTo = dates[dates.length - n - 1];
  mkdirSync(dir, { recursive: true });
  const write = (name, rows) => {
    const p = join(dir, name);
    writeFileSync(p, [header, ...rows].join('\n') + '\n');
    return p;
  };
  const base = write(
    `upto-${keptTo}.csv`,
    body.filter((l) => l.slice(0, 10) <= keptTo),
  );
  const dayFiles = days.map((d) => {
    const rows = body.filter((l) => l.startsWith(d));
    return { day: d, rows: rows.length, path: write(`day-${d}.csv`, rows) };
  });
  // Every device of the log reporting on one day (as the issue pictures it: about 1,168
  // readings): each device's last reading, dated after the log's last day, failure 0.
  const lastOf = new Map();
  for (const l of body) lastOf.set(l.split(',', 2)[1], l);
  const last = dates[dates.length - 1];
  const fullDays = Array.from({ length: n }, (_, i) => {
    const d = addDays(last, i + 1);
    const rows = [...lastOf.values()].map((l) => {
      const c = l.split(',');
      c[0] = d;
      c[2] = '0';
      return c.join(',');
    });
    return { day: d, rows: rows.length, path: write(`fullday-${d}.csv`, rows) };
  });
  return {
    header,
    totalRows: body.length,
    devices: lastOf.size,
    keptTo,
    keptRows: body.length - dayFiles.reduce((a, f) => a + f.rows, 0),
    base,
    dayFiles,
    fullDays,
    lastDate: last,
  };
}

/** The generated log's last day, dated 1..n days after (each device's next readings): one file per day. */
function nextDaysOf(bigPath, tmp, n) {
  const text = readFileSync(bigPath, 'utf8');
  const end = text.trimEnd();
  const lastDate = end.slice(end.lastIndexOf('\n') + 1, end.lastIndexOf('\n') + 11);
  const from = end.indexOf(`\n${lastDate},`);
  const rows = end.slice(from + 1).split('\n');
  const header = text.slice(0, text.indexOf('\n'));
  return Array.from({ length: n }, (_, i) => {
    const d = addDays(lastDate, i + 1);
    const path = join(tmp, `big-next-day-${i + 1}.csv`);
    writeFileSync(path, [header, ...rows.map((l) => d + l.slice(10))].join('\n') + '\n');
    return { day: d, lastDate, rows: rows.length, path };
  });
}

/** An append's parts, as the table shows them. */
const appendParts = (a) =>
  `worker ${ms0(a.timings.totalMs)}: read the file ${ms0(a.timings.parseMs)}, scoring ${ms0(a.timings.scoringMs)}, ranking ${ms0(a.timings.rankMs)}, kept log read + merge + written back ${ms0(a.worker_store_merge_ms)} (read + merge ${ms0(a.timings.keptMs)}, written ${ms0(a.timings.storeMs)}); list ${ms0(a.done_to_list_ms)}`;
const appendLine = (a) => `${ms0(a.page_ms)} (${appendParts(a)}); longest task ${ms0(a.longtasks.max_ms)} / after ${ms0(a.longtasks.after_max_ms)}`;

const stats = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length });

export async function benchWorkspace() {
  // The part runs for minutes: serve a copy of dist/, so that a build running meanwhile (another
  // session's tests) cannot empty the directory under it.
  const snap = join(root, 'bench', 'tmp', 'workspace-dist');
  rmSync(snap, { recursive: true, force: true });
  cpSync(dist, snap, { recursive: true });
  const served = await serveDist(4178, { dir: snap });
  try {
    return await benchWorkspaceAt(served.url);
  } finally {
    served.server.close();
  }
}

async function benchWorkspaceAt(url) {
  const out = { rows: [], loadavg_1min: { before: loadavg()[0], after: null } };
  if (out.loadavg_1min.before > 1.0)
    console.warn(
      `workspace bench: WARNING: 1-minute load average ${out.loadavg_1min.before.toFixed(2)} > 1.0 before the part: timings will be noisy`,
    );
  const rows = out.rows;
  const dataDir = resolve(process.env.DATA_DIR || join(root, '..', 'shared', 'data'));
  const deviceFile = join(dataDir, 'device_failure.csv');
  const tmp = join(root, 'bench', 'tmp', 'workspace');
  let split = null;
  try {
    statSync(deviceFile);
    split = splitLog(deviceFile, tmp, REPS);
  } catch {
    rows.push(['Fleet workspace, full device log', 'skipped: DATA_DIR not set', '']);
  }
  if (split) out.device = await benchFullLog(url, split, deviceFile, rows);
  out.big = await benchBigKept(url, tmp, rows);
  out.loadavg_1min.after = loadavg()[0];
  rows.push([
    'Fleet workspace: 1-minute load average before / after the part (os.loadavg)',
    `${out.loadavg_1min.before.toFixed(2)} / ${out.loadavg_1min.after.toFixed(2)}`,
    '< 1.0 before',
  ]);
  return out;
}

/** The full device log kept, appended to day by day, re-read and reopened: `out.device`; its table rows go to `rows`. */
async function benchFullLog(url, split, deviceFile, rows) {
  console.log(
    `workspace bench: kept up to ${split.keptTo} (${int(split.keptRows)} readings); appends: ${split.dayFiles.map((f) => `${f.day} (${f.rows})`).join(', ')}; full-fleet days: ${split.fullDays.length} x ${split.fullDays[0].rows}`,
  );
  // The whole log re-read, nothing kept, fresh browser each time: the side-by-side figure.
  const reread = [];
  for (let i = 0; i < REPS; i++) {
    const r = await fleetRunOnce(url, deviceFile, { timeoutMs: 120_000 });
    console.log(`workspace bench: whole log re-read ${i + 1}: ${ms0(r.page_ms)} (worker ${ms0(r.worker_total_ms)})`);
    reread.push(r);
  }
  const rereadMs = median(reread.map((r) => r.page_ms));
  const br = await openBrowser();
  try {
    const first = await keepFirst(br.page, url, split.base, split.keptTo, 120_000);
    console.log(`workspace bench: kept up to ${split.keptTo}: ${ms0(first.page_ms)}; ${first.kept_text}`);
    const appends = [];
    for (const f of split.dayFiles) {
      const a = await appendOnce(br.page, f.path, f.day);
      console.log(
        `workspace bench: append ${f.day} (${f.rows} rows): ${ms0(a.page_ms)} (worker ${ms0(a.timings.totalMs)}: parse ${ms0(a.timings.parseMs)}, scoring ${ms0(a.timings.scoringMs)}, rank ${ms0(a.timings.rankMs)}, store+merge ${ms0(a.worker_store_merge_ms)} (kept read + merge ${ms0(a.timings.keptMs)}, written ${ms0(a.timings.storeMs)}); done to list ${ms0(a.done_to_list_ms)}); longest task ${ms0(a.longtasks.max_ms)} / after ${ms0(a.longtasks.after_max_ms)}`,
      );
      appends.push(a);
    }
    const reopens = [];
    for (let i = 0; i < REPS; i++) {
      const r = await reopenOnce(br.page, split.lastDate);
      console.log(
        `workspace bench: reopen ${i + 1}: ${ms0(r.page_ms)} (open asked at ${ms0(r.open_asked_ms)}, ${JSON.stringify(r.first_posts_ms)}; worker done at ${ms0(r.worker_done_ms)}, its read ${ms0(r.worker_read_ms)}, rank ${ms0(r.timings?.rankMs ?? NaN)}); longest task ${ms0(r.longtasks.max_ms)} / after ${ms0(r.longtasks.after_max_ms)}`,
      );
      reopens.push(r);
    }
    const fullAppends = [];
    for (const f of split.fullDays) {
      const a = await appendOnce(br.page, f.path, f.day);
      console.log(
        `workspace bench: full-fleet day ${f.day} (${f.rows} rows): ${ms0(a.page_ms)} (worker ${ms0(a.timings.totalMs)}: parse ${ms0(a.timings.parseMs)}, scoring ${ms0(a.timings.scoringMs)}, rank ${ms0(a.timings.rankMs)}, store+merge ${ms0(a.worker_store_merge_ms)} (kept read + merge ${ms0(a.timings.keptMs)}, written ${ms0(a.timings.storeMs)}); done to list ${ms0(a.done_to_list_ms)}); longest task ${ms0(a.longtasks.max_ms)} / after ${ms0(a.longtasks.after_max_ms)}`,
      );
      fullAppends.push(a);
    }
    const am = stats(appends.map((a) => a.page_ms));
    const fm = stats(fullAppends.map((a) => a.page_ms));
    const rm = stats(reopens.map((r) => r.page_ms));
    const device = {
      split: {
        keptTo: split.keptTo,
        keptRows: split.keptRows,
        totalRows: split.totalRows,
        devices: split.devices,
        days: split.dayFiles.map((f) => [f.day, f.rows]),
        fullDays: split.fullDays.map((f) => [f.day, f.rows]),
      },
      reread: {
        page_ms: stats(reread.map((r) => r.page_ms)),
        runs: reread.map((r) => ({ page_ms: r.page_ms, timings: r.timings, longtasks_max_ms: r.longtasks_during.max_ms })),
      },
      keep_first: first,
      append_ms: am,
      append_ratio_to_reread: am.median / rereadMs,
      appends,
      full_day_append_ms: fm,
      full_day_append_ratio_to_reread: fm.median / rereadMs,
      full_day_appends: fullAppends,
      reopen_ms: rm,
      reopen_ratio_to_reread: rm.median / rereadMs,
      reopens,
    };
    fullLogRows(rows, split, { appends, fullAppends, reopens, reread, am, fm, rm, rereadMs });
    return device;
  } finally {
    await br.close();
  }
}

/** The bench table's rows of the full-log part. */
function fullLogRows(rows, split, { appends, fullAppends, reopens, reread, am, fm, rm, rereadMs }) {
  const part = (xs, k) => median(xs.map((x) => x.timings[k]));
  const detail = (xs) =>
    `worker ${ms0(part(xs, 'totalMs'))}: read the file ${ms0(part(xs, 'parseMs'))}, features and scoring ${ms0(part(xs, 'scoringMs'))}, ranking ${ms0(part(xs, 'rankMs'))}, kept log read + merge + written back ${ms0(median(xs.map((x) => x.worker_store_merge_ms)))} (read + merge ${ms0(part(xs, 'keptMs'))}, written ${ms0(part(xs, 'storeMs'))}); the day's list asked and drawn ${ms0(median(xs.map((x) => x.done_to_list_ms)))}`;
  const lastReal = appends[appends.length - 1];
  rows.push([
    `Fleet workspace: a day's export appended to the kept full log (the log's last ${appends.length} dates, ${split.dayFiles.map((f) => f.rows).join(' / ')} readings, appended one by one onto ${int(split.keptRows)} kept readings; the last, ${lastReal.day}, onto all ${int(split.totalRows - lastReal.rows_read)} earlier ones): file chosen to the new list shown (median of ${am.n}; in the page; profile on disk)`,
    `${ms0(am.median)} (${ms0(am.min)}-${ms0(am.max)}; ${detail(appends)}; ratio to re-reading the whole log ${am.median / rereadMs < 0.01 ? (am.median / rereadMs).toFixed(3) : (am.median / rereadMs).toFixed(2)})`,
    '<= 300 ms',
  ]);
  rows.push([
    `Fleet workspace: a full-fleet day appended (every one of the ${int(split.devices)} devices reporting, each device's last reading dated ${split.fullDays[0].day}..${split.fullDays[split.fullDays.length - 1].day}; the real log's last days have ~31 readings): file chosen to the new list shown (median of ${fm.n})`,
    `${ms0(fm.median)} (${ms0(fm.min)}-${ms0(fm.max)}; ${detail(fullAppends)}; ratio ${(fm.median / rereadMs).toFixed(2)})`,
    '<= 300 ms',
  ]);
  rows.push([
    `Fleet workspace: the same whole log (${int(split.totalRows)} rows) re-read in a fresh load that keeps nothing, same run: file chosen to list (median of ${reread.length})`,
    `${ms0(rereadMs)} (worker: read ${ms0(median(reread.map((r) => r.timings.parseMs)))}, scoring ${ms0(median(reread.map((r) => r.timings.scoringMs)))}, ranking ${ms0(median(reread.map((r) => r.timings.rankMs)))})`,
    '',
  ]);
  rows.push([
    `Fleet workspace: the page reopened on the kept full log (${int(split.totalRows)} readings): navigation to the kept list shown (median of ${rm.n} reloads; service worker and HTTP cache warm)`,
    `${ms0(rm.median)} (${ms0(rm.min)}-${ms0(rm.max)}; the page asked the worker to open it at ${ms0(median(reopens.map((r) => r.open_asked_ms ?? NaN)))}, done at ${ms0(median(reopens.map((r) => r.worker_done_ms)))}, of which the kept log read ${ms0(median(reopens.map((r) => r.worker_read_ms)))} and ranking ${ms0(median(reopens.map((r) => r.timings.rankMs)))}; ratio to re-reading the whole log ${(rm.median / rereadMs).toFixed(2)})`,
    '<= 1 s',
  ]);
  const lt = (xs) =>
    `${ms0(Math.max(...xs.map((x) => x.longtasks.max_ms)))} (${xs.reduce((a, x) => a + x.longtasks.over_50ms, 0)}) / ${ms0(Math.max(...xs.map((x) => x.longtasks.after_max_ms)))}`;
  rows.push([
    `Fleet workspace, kept full log: longest main-thread task, file chosen to list (tasks over 50 ms) / in the ${SETTLE_MS / 1000} s after: the ${appends.length} appends; the ${fullAppends.length} full-fleet days; the ${reopens.length} reopens (navigation to list)`,
    `${lt(appends)}; ${lt(fullAppends)}; ${lt(reopens)}`,
    '<= 50 ms (0)',
  ]);
}

/** Appends timed in a page reopened on the kept fleet (a person's daily visit): the median of these is the target's figure. */
const BIG_DAILY = smoke ? 1 : 3;

/**
 * 1,000,000 readings kept: heaps, a one-day append and a reopen with the heap probe attached;
 * then BIG_DAILY days, each appended in a page reopened on the kept fleet, and reopens timed, with
 * nothing attached (the probe's calls into the workers slow them): `out.big`; its table rows go to `rows`.
 */
async function benchBigKept(url, tmp, rows) {
  const big = makeFleetLog({ rows: BIG_ROWS });
  const [next, ...later] = nextDaysOf(big.path, tmp, 1 + BIG_DAILY);
  console.log(`workspace bench: ${big.path} kept, then ${next.day} (${next.rows} rows) and ${later.length} more days appended`);
  const br = await openBrowser();
  try {
    const heap = await heapProbe(br.page);
    heap.start();
    const first = await keepFirst(br.page, url, big.path, next.lastDate, 600_000);
    const peakLoad = await heap.stop();
    await heap.gc();
    const afterLoad = await heap.now();
    console.log(
      `workspace bench: ${int(BIG_ROWS)} kept in ${ms0(first.page_ms)}; heap after GC page ${MiB(afterLoad.page?.used ?? 0)}, workers ${MiB(afterLoad.workers_used)} (${afterLoad.workers.length}); peaks ${MiB(peakLoad.page)} / ${MiB(peakLoad.workers)}`,
    );
    heap.start();
    const a = await appendOnce(br.page, next.path, next.day, 300_000);
    const peakAppend = await heap.stop();
    await heap.gc();
    const afterAppend = await heap.now();
    console.log(`workspace bench: ${int(BIG_ROWS)}: append ${next.day}, heap probe attached: ${appendLine(a)}`);
    heap.start();
    const r = await reopenOnce(br.page, next.day, 300_000);
    const peakReopen = await heap.stop();
    await heap.gc();
    const afterReopen = await heap.now();
    console.log(
      `workspace bench: ${int(BIG_ROWS)}: reopen, heap probe attached: ${ms0(r.page_ms)} (worker read ${ms0(r.worker_read_ms)}); longest task ${ms0(r.longtasks.max_ms)} / after ${ms0(r.longtasks.after_max_ms)}; heap after GC page ${MiB(afterReopen.page?.used ?? 0)}, workers ${MiB(afterReopen.workers_used)}`,
    );
    // A person's day: the page opened on the kept fleet, the day's export appended; nothing attached.
    const daily = [];
    const reopens = [];
    for (const day of later) {
      const ra = await reopenOnce(br.page, reopens.length === 0 ? next.day : daily.at(-1).day, 300_000);
      reopens.push(ra);
      const d = await appendOnce(br.page, day.path, day.day, 300_000);
      console.log(`workspace bench: ${int(BIG_ROWS)}: reopened ${ms0(ra.page_ms)}, then ${day.day} appended: ${appendLine(d)}`);
      daily.push(d);
    }
    const result = {
      file: big.path,
      bytes: big.bytes,
      next_day: { day: next.day, rows: next.rows },
      keep_first: first,
      heap: {
        peak_load: peakLoad,
        after_load_gc: afterLoad,
        peak_append: peakAppend,
        after_append_gc: afterAppend,
        peak_reopen: peakReopen,
        after_reopen_gc: afterReopen,
      },
      append: a,
      reopen: r,
      daily: {
        append_ms: stats(daily.map((d) => d.page_ms)),
        reopen_ms: stats(reopens.map((x) => x.page_ms)),
        appends: daily,
        reopens,
      },
    };
    const backing = (h) =>
      h.workers_backing !== null ? `; ArrayBuffers outside the heap: page ${MiB(h.page?.backing ?? 0)}, workers ${MiB(h.workers_backing)}` : '';
    rows.push([
      `Fleet workspace, ${int(BIG_ROWS)} readings kept (generated, 8,000 devices): JS heap used after a forced GC, page main thread / workers together (CDP Runtime.getHeapUsage), after the kept load; after a day appended; after a reopen`,
      `${MiB(afterLoad.page?.used ?? 0)} / ${MiB(afterLoad.workers_used)}; ${MiB(afterAppend.page?.used ?? 0)} / ${MiB(afterAppend.workers_used)}; ${MiB(afterReopen.page?.used ?? 0)} / ${MiB(afterReopen.workers_used)} (peaks, every 100 ms: load ${MiB(peakLoad.page)} / ${MiB(peakLoad.workers)}, append ${MiB(peakAppend.page)} / ${MiB(peakAppend.workers)}, reopen ${MiB(peakReopen.page)} / ${MiB(peakReopen.workers)}${backing(afterAppend)})`,
      'bounded',
    ]);
    const dm = result.daily;
    const mid = daily[daily.map((d) => d.page_ms).indexOf(dm.append_ms.median)] ?? daily[0];
    rows.push([
      `Fleet workspace, ${int(BIG_ROWS)} readings kept: a day (${int(next.rows)} readings) appended in a page reopened on the kept fleet, file chosen to the new list shown; the page reopened, navigation to list (median of ${daily.length} days, each after its reopen; nothing attached to the page)`,
      `${ms0(dm.append_ms.median)} (${ms0(dm.append_ms.min)}-${ms0(dm.append_ms.max)}; the median day: ${appendParts(mid)}); reopen ${ms0(dm.reopen_ms.median)} (${ms0(dm.reopen_ms.min)}-${ms0(dm.reopen_ms.max)}); the kept load itself ${(first.page_ms / 1000).toFixed(1)} s`,
      '<= 300 ms; <= 1 s',
    ]);
    rows.push([
      `Fleet workspace, ${int(BIG_ROWS)} readings kept: the first day (${next.day}) appended in the page that loaded the log, and a reopen, with the heap probe attached (CDP calls into the workers every 100 ms; 1 run each)`,
      `${ms0(a.page_ms)} (${appendParts(a)}); reopen ${ms0(r.page_ms)} (the worker's read ${ms0(r.worker_read_ms)}, ranking ${ms0(r.timings?.rankMs ?? NaN)})`,
      '',
    ]);
    const longest = (xs) => xs.reduce((m, x) => (x.longtasks.max_ms > m.longtasks.max_ms ? x : m), xs[0]);
    const la = longest([a, ...daily]);
    const lr = longest([r, ...reopens]);
    rows.push([
      `Fleet workspace, ${int(BIG_ROWS)} readings kept: longest main-thread task (tasks over 50 ms) / in the ${SETTLE_MS / 1000} s after: the ${1 + daily.length} appends; the ${1 + reopens.length} reopens`,
      `${ms0(la.longtasks.max_ms)} (${[a, ...daily].reduce((n, x) => n + x.longtasks.over_50ms, 0)}) / ${ms0(Math.max(...[a, ...daily].map((x) => x.longtasks.after_max_ms)))}; ${ms0(lr.longtasks.max_ms)} (${[r, ...reopens].reduce((n, x) => n + x.longtasks.over_50ms, 0)}) / ${ms0(Math.max(...[r, ...reopens].map((x) => x.longtasks.after_max_ms)))}`,
      '<= 50 ms (0)',
    ]);
    return result;
  } catch (e) {
    const error = String(e?.message ?? e);
    rows.push([`Fleet workspace, ${int(BIG_ROWS)} readings kept`, `did not complete: ${error.split('\n')[0]}`, 'completes']);
    return { error };
  } finally {
    await br.close();
  }
}
