// Batch scoring speed (issue 4): the full device file in Chromium against scikit-learn on the
// same file with the same model, and a 1,000,000-row synthetic file (throughput, peak heap).
// Each browser run gets a fresh Chromium, so its process figures are that run's alone.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileInputEnabled, launch, median, root } from './lib.mjs';
import { makeBigCsv } from './make-big-csv.mjs';
import { HEAP_POLL_MS, heapSampler, rendererPeaks } from './memory-probe.mjs';
import { pageProbe } from './page-probe.mjs';

const DEVICE_RUNS = Number(process.env.BENCH_BATCH_RUNS ?? 3);
const BIG_ROWS = Number(process.env.BENCH_BIG_ROWS ?? 1_000_000);
const LONG_TASK_MS = 50;
// Long tasks in this window after the summary shows are reported apart (evaluation charts).
const SETTLE_MS = 2000;

const MiB = (b) => `${(b / 1024 / 1024).toFixed(0)} MiB`;
const MB = (b) => `${(b / 1e6).toFixed(1)} MB`;
const pct = (x) => `${Math.round(x * 100)}%`;
const int = (n) => Math.round(n).toLocaleString('en-US');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The device batch view opened in `page`, its file input enabled and device-rf selected; with
 * `waitHelpers`, also its helper workers shown ready and the service worker's precache done.
 * Times in ms after the view was asked for.
 */
async function openBatchView(page, url, waitHelpers) {
  const tOpen = performance.now();
  await page.goto(`${url}#/device/batch`);
  const input = page.getByLabel('Choose a CSV or Parquet file');
  await input.waitFor({ state: 'attached' });
  await fileInputEnabled(page);
  // The default device model must be the one selected.
  const model = await page.getByRole('group', { name: 'Model' }).locator('input[type=radio]:checked').locator('xpath=..').textContent();
  if (!/device-rf/.test(model ?? '')) throw new Error(`batch view did not select device-rf by default (got "${model}")`);
  const enabledMs = performance.now() - tOpen;
  let helpersMs = null;
  let settledMs = null;
  if (waitHelpers) {
    const shown = await page
      .getByTestId('batch-workers')
      .waitFor({ timeout: 30_000 })
      .then(
        () => true,
        () => false,
      );
    if (shown) helpersMs = performance.now() - tOpen;
    // And the first visit's one-time work done: the service worker has precached the site.
    await page.evaluate(() => navigator.serviceWorker?.ready.then(() => undefined));
    settledMs = performance.now() - tOpen;
  }
  return { input, enabledMs, helpersMs, settledMs };
}

/**
 * One upload of `file` to the device batch view with the default model, in a fresh browser.
 * With `waitHelpers`, the file is chosen once the view says its helper workers are ready and
 * the service worker has finished precaching (as a user choosing a file a few seconds after
 * opening the view would find the page); without, the moment the file input is enabled.
 */
export async function runOnce(url, file, { timeoutMs, waitHelpers = true, heap: sampleHeap = true }) {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.addInitScript(pageProbe, {
      doneType: 'batch-done',
      countType: 'batch-chunk',
      mark: 'summaryAt',
      selector: '[data-testid="batch-summary"]',
      texts: { summaryText: '[data-testid="batch-summary"]' },
    });
    const heap = sampleHeap ? await heapSampler(page) : null;
    const view = await openBatchView(page, url, waitHelpers);
    heap?.start();
    const t0 = performance.now();
    await view.input.setInputFiles(file);
    // The probe's own mark, polled every 10 ms in the page (a locator polls the DOM every frame with its selector engine).
    await page.waitForFunction(() => window.__bench.summaryAt !== null, null, { timeout: timeoutMs, polling: 10 });
    const wallMs = performance.now() - t0;
    await sleep(SETTLE_MS);
    const peak = heap ? await heap.stop() : null;
    const b = await page.evaluate(() => window.__bench);
    const failed = await page.locator('[role=alert]').allTextContents();
    const m = /([\d,]+) rows read = ([\d,]+) scored \+ ([\d,]+) rejected, in ([\d.]+) s/.exec(b.summaryText ?? '');
    if (!m) throw new Error(`unexpected summary: ${b.summaryText}`);
    const n = (s) => Number(s.replace(/,/g, ''));
    const during = b.long.filter((t) => t.start <= b.summaryAt && t.start + t.duration >= b.changeAt);
    const after = b.long.filter((t) => t.start > b.summaryAt);
    const longest = (ts) => ts.reduce((a, t) => Math.max(a, t.duration), 0);
    // [ms after the file's change event, duration]
    const list = (ts) => ts.map((t) => [Math.round(t.start - b.changeAt), Math.round(t.duration)]);
    const p = b.done?.progress;
    return {
      picked: waitHelpers ? 'after the helpers were ready' : 'as soon as the input was enabled',
      view_to_input_enabled_ms: view.enabledMs,
      view_to_helpers_ready_ms: view.helpersMs,
      view_to_service_worker_ready_ms: view.settledMs,
      workers_text: await page
        .getByTestId('batch-workers')
        .textContent({ timeout: 100 })
        .catch(() => null),
      rows_read: n(m[1]),
      rows_scored: n(m[2]),
      rows_rejected: n(m[3]),
      alerts: failed,
      summary_elapsed_s: Number(m[4]),
      // The worker's elapsedMs from its batch-done message (the summary rounds it to 10 ms).
      worker_elapsed_s: p ? p.elapsedMs / 1000 : Number(m[4]),
      worker: p
        ? {
            elapsed_ms: p.elapsedMs,
            parse_ms: p.parseMs,
            score_ms: p.scoreMs,
            wait_ms: p.waitMs,
            helper_rows: p.helperRows,
            chunks: b.chunks,
            done_to_summary_ms: b.summaryAt - b.done.at,
          }
        : null,
      page_ms: b.summaryAt - b.changeAt,
      wall_ms: wallMs,
      longtask_supported: b.supported,
      longtasks_during: { max_ms: longest(during), over_50ms: during.filter((t) => t.duration > LONG_TASK_MS).length, all: list(during) },
      longtasks_after: { max_ms: longest(after), over_50ms: after.filter((t) => t.duration > LONG_TASK_MS).length, all: list(after) },
      heap_peak_bytes: peak ? { page: peak.page, worker: heap.workerOk() ? peak.worker : null, samples: peak.samples } : null,
      renderer_peak_rss_bytes: (await rendererPeaks(browser))[0] ?? null,
    };
  } finally {
    await browser.close();
  }
}

function sklearn(dataDir) {
  return new Promise((resolveP, reject) => {
    const reps = ['--reps', process.env.BENCH_PY_REPS ?? '3'];
    const p = spawn('/usr/bin/python3', [join(root, 'bench', 'sklearn_batch.py'), '--data-dir', dataDir, ...reps], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('exit', (code) => {
      try {
        const res = JSON.parse(out.trim().split('\n').pop());
        if (code === 3) res.warning = 'the refitted model differs from the shipped one (golden check failed)';
        else if (code !== 0) throw new Error(`exit ${code}`);
        resolveP(res);
      } catch (e) {
        reject(new Error(`bench/sklearn_batch.py failed: ${e.message}\n${out}`));
      }
    });
  });
}

const summarise = (runs) => {
  const w = runs.map((r) => r.worker).filter(Boolean);
  return {
    wall_ms: median(runs.map((r) => r.wall_ms)),
    page_ms: median(runs.map((r) => r.page_ms)),
    worker_elapsed_s: median(runs.map((r) => r.worker_elapsed_s)),
    worker_parse_ms: w.length ? median(w.map((x) => x.parse_ms)) : null,
    worker_score_ms: w.length ? median(w.map((x) => x.score_ms)) : null,
    worker_wait_ms: w.length ? median(w.map((x) => x.wait_ms)) : null,
    longtask_max_ms: Math.max(...runs.map((r) => r.longtasks_during.max_ms)),
    longtasks_over_50ms: runs.reduce((a, r) => a + r.longtasks_during.over_50ms, 0),
    after_max_ms: Math.max(...runs.map((r) => r.longtasks_after.max_ms)),
  };
};

export async function benchBatch(url) {
  const t0 = performance.now();
  const out = { rows: [] };
  const rows = out.rows;
  const dataDir = resolve(process.env.DATA_DIR || join(root, '..', 'shared', 'data'));
  const deviceFile = join(dataDir, 'device_failure.csv');

  // ---- 1. the full device file, browser vs scikit-learn
  if (!existsSync(deviceFile)) {
    console.log(`batch bench: ${deviceFile} not found: full-device comparison skipped (set DATA_DIR to the folder with device_failure.csv)`);
    out.device = { skipped: 'DATA_DIR not set' };
    rows.push(['Batch, full device file: browser vs scikit-learn', 'skipped: DATA_DIR not set', 'ratio <= 1.0']);
  } else out.device = await benchDeviceFile(url, dataDir, deviceFile, rows);

  // ---- 2. a million synthetic rows
  out.big = await benchBigFile(url, rows);
  out.seconds = (performance.now() - t0) / 1000;
  console.log(`batch bench: done in ${out.seconds.toFixed(0)} s`);
  return out;
}

/** The full device file, browser against scikit-learn: `out.device`; its table rows go to `rows`. */
async function benchDeviceFile(url, dataDir, deviceFile, rows) {
  const runs = [];
  for (let i = 0; i < DEVICE_RUNS; i++) {
    // Timed without the heap sampler (its DevTools session on every worker slows them; memory is
    // measured on the big file below).
    const r = await runOnce(url, deviceFile, { timeoutMs: 120_000, heap: false });
    console.log(
      `batch bench: device file run ${i + 1}: ${int(r.rows_scored)} scored, wall ${r.wall_ms.toFixed(0)} ms, page ${r.page_ms.toFixed(0)} ms, worker ${r.worker_elapsed_s.toFixed(2)} s, longest task ${r.longtasks_during.max_ms.toFixed(0)} ms`,
    );
    runs.push(r);
  }
  // The same with no time for the helper workers to start: what a very quick user gets.
  const quick = await runOnce(url, deviceFile, { timeoutMs: 120_000, waitHelpers: false, heap: false });
  console.log(
    `batch bench: device file, chosen as soon as the input was enabled: page ${quick.page_ms.toFixed(0)} ms, helper rows ${quick.worker?.helper_rows}`,
  );
  const sk = await sklearn(dataDir);
  console.log(
    `batch bench: scikit-learn: ${sk.median_ms.total_ms} ms (read_csv ${sk.median_ms.read_csv_ms}, predict_proba ${sk.median_ms.predict_proba_ms}); same model as shipped: ${sk.same_as_shipped}`,
  );
  const s = summarise(runs);
  const skMs = sk.median_ms.total_ms;
  const device = {
    file: deviceFile,
    bytes: statSync(deviceFile).size,
    runs,
    median: s,
    quick_run: quick,
    sklearn: sk,
    ratio_wall: s.wall_ms / skMs,
    ratio_page: s.page_ms / skMs,
    ratio_worker: (s.worker_elapsed_s * 1000) / skMs,
  };
  deviceRows(rows, device);
  return device;
}

/** The bench table's rows of the full device file. */
function deviceRows(rows, device) {
  const { runs, median: s, quick_run: quick, sklearn: sk } = device;
  const skMs = sk.median_ms.total_ms;
  const n = runs[0].rows_scored;
  const split =
    s.worker_parse_ms === null
      ? ''
      : ` = parse and the rest ${(s.worker_parse_ms / 1000).toFixed(2)} s + its own session.run ${(s.worker_score_ms / 1000).toFixed(2)} s + waiting for the helper ${(s.worker_wait_ms / 1000).toFixed(2)} s`;
  const helperShare = median(runs.map((r) => (r.worker?.helper_rows ?? 0) / r.rows_scored));
  const helpersAt = median(runs.map((r) => r.view_to_helpers_ready_ms ?? NaN));
  rows.push([
    `Batch, full device file (${int(n)} rows, ${MB(device.bytes)}) in Chromium, device-rf: file chosen to summary shown, measured in the page (median of ${runs.length}; file chosen once the view showed its helper workers ready, ${(helpersAt / 1000).toFixed(1)} s after opening it)`,
    `${(s.page_ms / 1000).toFixed(2)} s (batch worker's own ${s.worker_elapsed_s.toFixed(2)} s${split}; ${pct(helperShare)} of the rows scored by the helper; with Playwright's setInputFiles ${(s.wall_ms / 1000).toFixed(2)} s)`,
    '',
  ]);
  rows.push([
    'Batch, full device file, chosen the moment the file input is enabled (helpers still starting; 1 run)',
    `${(quick.page_ms / 1000).toFixed(2)} s (${pct((quick.worker?.helper_rows ?? 0) / quick.rows_scored)} of the rows scored by the helper)`,
    '',
  ]);
  rows.push([
    `Batch, same file in scikit-learn ${sk.versions['scikit-learn']}, same model refitted by the training code: pandas.read_csv + columns + predict_proba, 1 thread (median of ${sk.reps})`,
    `${(skMs / 1000).toFixed(2)} s (read_csv ${(sk.median_ms.read_csv_ms / 1000).toFixed(2)} s, predict_proba ${(sk.median_ms.predict_proba_ms / 1000).toFixed(2)} s)${sk.same_as_shipped ? '' : ' (WARNING: refit differs from shipped model)'}`,
    '',
  ]);
  rows.push([
    'Batch, full device file: ratio browser / scikit-learn',
    `${device.ratio_page.toFixed(2)} (batch worker's own time: ${device.ratio_worker.toFixed(2)}; chosen at once: ${(quick.page_ms / skMs).toFixed(2)}; against scikit-learn's predict_proba on 2 threads: ${(s.page_ms / (skMs - sk.median_ms.predict_proba_ms + sk.predict_proba_2_threads_median_ms)).toFixed(2)})`,
    '<= 1.0',
  ]);
  rows.push([
    `Batch, full device file: longest main-thread task while it runs (tasks over 50 ms, in ${runs.length} runs)`,
    `${s.longtask_max_ms.toFixed(0)} ms (${s.longtasks_over_50ms})`,
    '<= 50 ms (0)',
  ]);
  rows.push([
    `Batch, full device file: longest main-thread task in the ${SETTLE_MS / 1000} s after the summary shows (evaluation charts)`,
    `${s.after_max_ms.toFixed(0)} ms`,
    '',
  ]);
}

/** A million synthetic rows: `out.big`; its table rows go to `rows`. */
async function benchBigFile(url, rows) {
  const big = makeBigCsv({ rows: BIG_ROWS });
  console.log(`batch bench: ${big.path} (${MB(big.bytes)}${big.cached ? ', cached' : ''})`);
  let r;
  try {
    r = await runOnce(url, big.path, { timeoutMs: 180_000 });
  } catch (e) {
    r = { error: String(e.message ?? e) };
  }
  const result = { file: big.path, bytes: big.bytes, rows_in_file: BIG_ROWS, ...r };
  if (r.error) {
    console.log(`batch bench: the ${int(BIG_ROWS)}-row file did not complete: ${r.error}`);
    rows.push([
      `Batch, ${int(BIG_ROWS)}-row synthetic device file (${MB(big.bytes)}): completion`,
      `did not complete: ${r.error.split('\n')[0]}`,
      'completes',
    ]);
    return result;
  }
  const rps = r.rows_scored / r.worker_elapsed_s;
  const rpsPage = r.rows_scored / (r.page_ms / 1000);
  result.rows_per_second = { worker: rps, page: rpsPage };
  console.log(
    `batch bench: big file: ${int(r.rows_scored)} scored in ${r.worker_elapsed_s.toFixed(2)} s (page ${r.page_ms.toFixed(0)} ms), heap page ${MiB(r.heap_peak_bytes.page)} worker ${r.heap_peak_bytes.worker === null ? 'n/a' : MiB(r.heap_peak_bytes.worker)}, renderer RSS ${r.renderer_peak_rss_bytes === null ? 'n/a' : MiB(r.renderer_peak_rss_bytes)}`,
  );
  const complete = r.rows_scored + r.rows_rejected === BIG_ROWS && r.alerts.length === 0;
  rows.push([
    `Batch, ${int(BIG_ROWS)}-row synthetic device file (${MB(big.bytes)}): rows scored, file chosen to summary shown`,
    `${int(r.rows_scored)} in ${(r.page_ms / 1000).toFixed(1)} s${complete ? '' : ` (incomplete: ${r.alerts.join('; ')})`}`,
    'completes',
  ]);
  const split = r.worker
    ? `; batch worker: parse and the rest ${(r.worker.parse_ms / 1000).toFixed(1)} s + its own session.run ${(r.worker.score_ms / 1000).toFixed(1)} s + waiting ${(r.worker.wait_ms / 1000).toFixed(1)} s; ${pct(r.worker.helper_rows / r.rows_scored)} of the rows scored by the helper`
    : '';
  rows.push([
    `Batch, ${int(BIG_ROWS)} rows: throughput (rows scored / worker's elapsed time)`,
    `${int(rps)} rows/s (file chosen to summary, in the page: ${int(rpsPage)} rows/s${split})`,
    '',
  ]);
  rows.push([
    `Batch, ${int(BIG_ROWS)} rows: peak JS heap used, page main thread / inference workers together (CDP, every ${HEAP_POLL_MS} ms)`,
    `${MiB(r.heap_peak_bytes.page)} / ${r.heap_peak_bytes.worker === null ? 'not measured' : MiB(r.heap_peak_bytes.worker)}`,
    'bounded',
  ]);
  if (r.renderer_peak_rss_bytes !== null) {
    rows.push([
      `Batch, ${int(BIG_ROWS)} rows: peak resident memory of the tab's renderer process (VmHWM; heaps, WebAssembly memory, everything)`,
      MiB(r.renderer_peak_rss_bytes),
      '',
    ]);
  }
  rows.push([
    `Batch, ${int(BIG_ROWS)} rows: longest main-thread task while it runs (tasks over 50 ms)`,
    `${r.longtasks_during.max_ms.toFixed(0)} ms (${r.longtasks_during.over_50ms})`,
    '<= 50 ms (0)',
  ]);
  rows.push([
    `Batch, ${int(BIG_ROWS)} rows: longest main-thread task in the ${SETTLE_MS / 1000} s after the summary shows`,
    `${r.longtasks_after.max_ms.toFixed(0)} ms`,
    '',
  ]);
  return result;
}
