// The fleet workspace bench's long log (workspace.mjs, part 3): a 1,000,000-reading generated log
// kept; page and worker heaps around its load, a one-day append and a reopen, with the heap probe
// attached; then a person's daily visits, each a reopen and the day's export appended, with
// nothing attached to the page (the probe's calls into the workers slow them).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { smoke } from './lib.mjs';
import { makeFleetLog } from './make-fleet-log.mjs';
import {
  addDays,
  appendLine,
  appendOnce,
  appendParts,
  heapProbe,
  int,
  keepFirst,
  MiB,
  ms0,
  openBrowser,
  reopenOnce,
  SETTLE_MS,
  stats,
} from './workspace-page.mjs';

const BIG_ROWS = Number(process.env.BENCH_BIG_ROWS ?? 1_000_000);
/** Appends timed in a page reopened on the kept fleet (a person's daily visit): the median of these is the target's figure. */
const BIG_DAILY = smoke ? 1 : 3;

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

/**
 * 1,000,000 readings kept: heaps, a one-day append and a reopen with the heap probe attached;
 * then BIG_DAILY days, each appended in a page reopened on the kept fleet: `out.big`; its table
 * rows go to `rows`.
 */
export async function benchBigKept(url, tmp, rows) {
  const big = makeFleetLog({ rows: BIG_ROWS });
  const [next, ...later] = nextDaysOf(big.path, tmp, 1 + BIG_DAILY);
  console.log(`workspace bench: ${big.path} kept, then ${next.day} (${next.rows} rows) and ${later.length} more days appended`);
  const br = await openBrowser();
  try {
    const probed = await probedRun(br.page, url, big, next);
    const daily = await dailyVisits(br.page, next, later);
    const result = { file: big.path, bytes: big.bytes, next_day: { day: next.day, rows: next.rows }, ...probed, daily };
    rows.push(...bigRows(result));
    return result;
  } catch (e) {
    const error = String(e?.message ?? e);
    rows.push([`Fleet workspace, ${int(BIG_ROWS)} readings kept`, `did not complete: ${error.split('\n')[0]}`, 'completes']);
    return { error };
  } finally {
    await br.close();
  }
}

/** The load, the first day appended in the same page, and a reopen, each with the heap probe sampling every 100 ms and a forced GC after. */
async function probedRun(page, url, big, next) {
  const heap = await heapProbe(page);
  const measured = async (f) => {
    heap.start();
    const r = await f();
    const peak = await heap.stop();
    await heap.gc();
    return { r, peak, after: await heap.now() };
  };
  const load = await measured(() => keepFirst(page, url, big.path, next.lastDate, 600_000));
  console.log(
    `workspace bench: ${int(BIG_ROWS)} kept in ${ms0(load.r.page_ms)}; heap after GC page ${MiB(load.after.page?.used ?? 0)}, workers ${MiB(load.after.workers_used)} (${load.after.workers.length}); peaks ${MiB(load.peak.page)} / ${MiB(load.peak.workers)}`,
  );
  const append = await measured(() => appendOnce(page, next.path, next.day, 300_000));
  console.log(`workspace bench: ${int(BIG_ROWS)}: append ${next.day}, heap probe attached: ${appendLine(append.r)}`);
  const reopen = await measured(() => reopenOnce(page, next.day, 300_000));
  const r = reopen.r;
  console.log(
    `workspace bench: ${int(BIG_ROWS)}: reopen, heap probe attached: ${ms0(r.page_ms)} (worker read ${ms0(r.worker_read_ms)}); longest task ${ms0(r.longtasks.max_ms)} / after ${ms0(r.longtasks.after_max_ms)}; heap after GC page ${MiB(reopen.after.page?.used ?? 0)}, workers ${MiB(reopen.after.workers_used)}`,
  );
  return {
    keep_first: load.r,
    heap: {
      peak_load: load.peak,
      after_load_gc: load.after,
      peak_append: append.peak,
      after_append_gc: append.after,
      peak_reopen: reopen.peak,
      after_reopen_gc: reopen.after,
    },
    append: append.r,
    reopen: r,
  };
}

/** A person's day: the page opened on the kept fleet, then the day's export appended; nothing attached. */
async function dailyVisits(page, next, later) {
  const appends = [];
  const reopens = [];
  for (const day of later) {
    const r = await reopenOnce(page, appends.at(-1)?.day ?? next.day, 300_000);
    reopens.push(r);
    const a = await appendOnce(page, day.path, day.day, 300_000);
    console.log(`workspace bench: ${int(BIG_ROWS)}: reopened ${ms0(r.page_ms)}, then ${day.day} appended: ${appendLine(a)}`);
    appends.push(a);
  }
  return {
    append_ms: stats(appends.map((d) => d.page_ms)),
    reopen_ms: stats(reopens.map((x) => x.page_ms)),
    appends,
    reopens,
  };
}

/** The bench table's rows of the long log. */
function bigRows({ keep_first: first, heap, append: a, reopen: r, daily, next_day: next }) {
  const MiBs = (h) => `${MiB(h.page?.used ?? 0)} / ${MiB(h.workers_used)}`;
  const peaks = (p) => `${MiB(p.page)} / ${MiB(p.workers)}`;
  const backing = (h) =>
    h.workers_backing !== null ? `; ArrayBuffers outside the heap: page ${MiB(h.page?.backing ?? 0)}, workers ${MiB(h.workers_backing)}` : '';
  const { append_ms: am, reopen_ms: rm } = daily;
  const mid = daily.appends.find((d) => d.page_ms === am.median) ?? daily.appends[0];
  const appends = [a, ...daily.appends];
  const reopens = [r, ...daily.reopens];
  const longest = (xs) => xs.reduce((m, x) => (x.longtasks.max_ms > m.longtasks.max_ms ? x : m), xs[0]);
  const tasks = (xs) =>
    `${ms0(longest(xs).longtasks.max_ms)} (${xs.reduce((n, x) => n + x.longtasks.over_50ms, 0)}) / ${ms0(Math.max(...xs.map((x) => x.longtasks.after_max_ms)))}`;
  return [
    [
      `Fleet workspace, ${int(BIG_ROWS)} readings kept (generated, 8,000 devices): JS heap used after a forced GC, page main thread / workers together (CDP Runtime.getHeapUsage), after the kept load; after a day appended; after a reopen`,
      `${MiBs(heap.after_load_gc)}; ${MiBs(heap.after_append_gc)}; ${MiBs(heap.after_reopen_gc)} (peaks, every 100 ms: load ${peaks(heap.peak_load)}, append ${peaks(heap.peak_append)}, reopen ${peaks(heap.peak_reopen)}${backing(heap.after_append_gc)})`,
      'bounded',
    ],
    [
      `Fleet workspace, ${int(BIG_ROWS)} readings kept: a day (${int(next.rows)} readings) appended in a page reopened on the kept fleet, file chosen to the new list shown; the page reopened, navigation to list (median of ${am.n} days, each after its reopen; nothing attached to the page)`,
      `${ms0(am.median)} (${ms0(am.min)}-${ms0(am.max)}; the median day: ${appendParts(mid)}); reopen ${ms0(rm.median)} (${ms0(rm.min)}-${ms0(rm.max)}); the kept load itself ${(first.page_ms / 1000).toFixed(1)} s`,
      '<= 300 ms; <= 1 s',
    ],
    [
      `Fleet workspace, ${int(BIG_ROWS)} readings kept: the first day (${next.day}) appended in the page that loaded the log, and a reopen, with the heap probe attached (CDP calls into the workers every 100 ms; 1 run each)`,
      `${ms0(a.page_ms)} (${appendParts(a)}); reopen ${ms0(r.page_ms)} (the worker's read ${ms0(r.worker_read_ms)}, ranking ${ms0(r.timings?.rankMs ?? NaN)})`,
      '',
    ],
    [
      `Fleet workspace, ${int(BIG_ROWS)} readings kept: longest main-thread task (tasks over 50 ms) / in the ${SETTLE_MS / 1000} s after: the ${appends.length} appends; the ${reopens.length} reopens`,
      `${tasks(appends)}; ${tasks(reopens)}`,
      '<= 50 ms (0)',
    ],
  ];
}
