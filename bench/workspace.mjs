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
import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { runOnce as fleetRunOnce } from './fleet.mjs';
import { dist, median, root, serveDist } from './lib.mjs';
import { benchBigKept } from './workspace-big.mjs';
import { addDays, appendOnce, int, keepFirst, ms0, openBrowser, reopenOnce, SETTLE_MS, stats } from './workspace-page.mjs';

const REPS = Number(process.env.BENCH_WORKSPACE_REPS ?? 5);

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
