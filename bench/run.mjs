// npm run bench: builds the app, measures it in headless Chromium, writes bench/results.json
// and the table in docs/speed.md. Absolute times depend on the machine; compare ratios.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchApp } from './app.mjs';
import { baseCommit, baseDist } from './base-build.mjs';
import { root, run, serveDist } from './lib.mjs';

const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);

await run('npx', ['vite', 'build', '--logLevel', 'warn']);
const { server, url } = await serveDist();
const resultsPath = join(root, 'bench', 'results.json');
let results = {};
try {
  results = JSON.parse(readFileSync(resultsPath, 'utf8'));
} catch {
  results = {};
}
results.machine = { cpus: (await import('node:os')).cpus().length, node: process.version };
const base = want('app') ? baseCommit() : null;
const baseServer = base ? await serveDist(4176, { dir: await baseDist(base) }) : null;
const brotliServer = want('app') ? await serveDist(4177, { precompressed: true }) : null;
try {
  if (want('app')) {
    results.app = await benchApp(url, { baseUrl: baseServer?.url, brotliUrl: brotliServer?.url });
    results.app.base_commit = base;
  }
  if (want('batch')) {
    const { benchBatch } = await import('./batch.mjs');
    results.batch = await benchBatch(url);
  }
  if (want('fleet')) {
    const { benchFleet } = await import('./fleet.mjs');
    results.fleet = await benchFleet(url);
  }
  if (want('workspace')) {
    const { benchWorkspace } = await import('./workspace.mjs');
    results.workspace = await benchWorkspace(url);
  }
} finally {
  server.close();
  baseServer?.server.close();
  brotliServer?.server.close();
}
writeFileSync(resultsPath, JSON.stringify(results, null, 2) + '\n');

const kb = (b) => `${(b / 1024).toFixed(0)} KB`;
const rows = [];
if (results.app) {
  const a = results.app;
  const ms = (x) => `${x.toFixed(0)} ms`;
  const base = a.base_cold_start_ms
    ? ` (base commit \`${a.base_commit.slice(0, 7)}\` in the same run: ${ms(a.base_cold_start_ms.median)}; ratio ${(a.cold_start_ms.median / a.base_cold_start_ms.median).toFixed(2)})`
    : '';
  rows.push([
    'Cold start: navigation to first probability (median of 5, empty cache, localhost, no compression)',
    `${ms(a.cold_start_ms.median)}${base}`,
    '<= 600 ms',
  ]);
  if (a.runtime_integrity_ms) {
    rows.push([
      'Cold start: of which the sha256 check of the WebAssembly runtime in the worker (median of 5; the runtime still compiles as it downloads)',
      `${a.runtime_integrity_ms.median.toFixed(1)} ms`,
      'small',
    ]);
  }
  if (a.throttled_cold_start_ms) {
    rows.push([
      'Cold start on a throttled link (Chromium network emulation: 10 Mbit/s, 40 ms round trip; pre-compressed brotli served; median of 3)',
      ms(a.throttled_cold_start_ms.median),
      '<= 3.5 s',
    ]);
  }
  rows.push(['Warm: submit to result rendered, next frame (median of 200)', `${a.warm_submit_to_render_ms.median.toFixed(1)} ms`, '<= 16 ms']);
  rows.push(['Warm: submit to result in the DOM (median of 200)', `${a.warm_submit_to_dom_ms.median.toFixed(1)} ms`, '']);
  rows.push([
    'Warm: inference call, session.run of the selected model (median of 200)',
    `${a.warm_inference_call_ms.median.toFixed(3)} ms`,
    '<= 1 ms',
  ]);
  rows.push([
    "First view (until the form can predict), brotli (the build's .br files): everything / JavaScript (not the WebAssembly)",
    `${kb(a.first_view_brotli_bytes.total)} / ${kb(a.first_view_brotli_bytes.javascript)}`,
    '<= 2.7 MB / <= 200 KB',
  ]);
  if (a.what_if_after_result_ms) {
    rows.push([
      `What-if curves: result in the DOM to all curves computed, one batched call (median of ${a.what_if_after_result_ms.n}; the call itself ${a.what_if_call_ms.median.toFixed(1)} ms)`,
      `${a.what_if_after_result_ms.median.toFixed(1)} ms`,
      '<= 50 ms',
    ]);
  }
  rows.push(['First view (until the form can predict), gzip: everything', kb(a.first_view_gzip_bytes.total), '<= 4.5 MB']);
  rows.push(['First view, gzip: JavaScript (not the WebAssembly)', kb(a.first_view_gzip_bytes.javascript), '<= 250 KB']);
  rows.push([
    'First view plus the first result (charts load on demand), gzip: everything / JavaScript',
    `${kb(a.with_first_result_gzip_bytes.total)} / ${kb(a.with_first_result_gzip_bytes.javascript)}`,
    '',
  ]);
}
if (results.batch) for (const r of results.batch.rows ?? []) rows.push(r);
if (results.fleet) for (const r of results.fleet.rows ?? []) rows.push(r);
if (results.workspace) for (const r of results.workspace.rows ?? []) rows.push(r);
const table = ['| measure | result | target |', '|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const docPath = join(root, 'docs', 'speed.md');
const doc = readFileSync(docPath, 'utf8');
const start = '<!-- bench:start -->';
const end = '<!-- bench:end -->';
if (doc.includes(start)) {
  const stamp = `Measured by \`npm run bench\` on ${results.machine.cpus} cores, Node ${results.machine.node}.`;
  writeFileSync(docPath, doc.replace(new RegExp(`${start}[\\s\\S]*${end}`), `${start}\n${stamp}\n\n${table}\n${end}`));
}
console.log(table);
