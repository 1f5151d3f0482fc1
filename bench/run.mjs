// npm run bench: builds the app, measures it in headless Chromium, writes bench/results.json
// and the table in docs/speed.md. Absolute times depend on the machine; compare ratios.
//
//   npm run bench [-- app batch fleet workspace parsers threads]   every part, or the ones named
//   npm run bench -- --smoke [parts]               tiny inputs, one run each, no targets and no
//                                                  base build; results to bench/tmp/smoke.json
//                                                  (npm test runs this, so the bench cannot rot)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { appRows } from './app-rows.mjs';
import { benchApp } from './app.mjs';
import { baseCommit, baseDist } from './base-build.mjs';
import { root, run, serveDist, smoke } from './lib.mjs';

if (smoke) {
  // Tiny inputs, one run of each (the parts read these when they are imported).
  for (const [k, v] of Object.entries({
    BENCH_BATCH_RUNS: '1',
    BENCH_FLEET_RUNS: '1',
    BENCH_WORKSPACE_REPS: '1',
    BENCH_BIG_ROWS: '5000',
    BENCH_PY_REPS: '1',
  }))
    process.env[k] ??= v;
}
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const want = (name) => only.length === 0 || only.includes(name);
/** Above this 1-minute load average (on 2 cores) before a part, its figures are marked as noisy. */
const QUIET_LOAD = 1.0;

if (!(smoke && process.argv.includes('--no-build'))) await run('npx', ['vite', 'build', '--logLevel', 'warn']);
const { server, url } = await serveDist();
const resultsPath = smoke ? join(root, 'bench', 'tmp', 'smoke.json') : join(root, 'bench', 'results.json');
let results = {};
try {
  results = smoke ? {} : JSON.parse(readFileSync(resultsPath, 'utf8'));
} catch {
  results = {};
}
results.machine = { cpus: (await import('node:os')).cpus().length, node: process.version };
const base = want('app') && !smoke ? baseCommit() : null;
const baseServer = base ? await serveDist(4176, { dir: await baseDist(base) }) : null;
const brotliServer = want('app') && !smoke ? await serveDist(4177, { precompressed: true }) : null;

/**
 * One part: its load average before and after, kept with its figures; above QUIET_LOAD before
 * it, a warning, and every figure of the part is marked in the table.
 */
async function part(name, fn) {
  // The previous part's own load decays first (up to 3 minutes), so that each part starts quiet.
  for (let waited = 0; !smoke && loadavg()[0] > QUIET_LOAD && waited < 180; waited += 5) await new Promise((r) => setTimeout(r, 5000));
  const before = loadavg()[0];
  if (before > QUIET_LOAD)
    console.warn(
      `bench ${name}: WARNING: 1-minute load average ${before.toFixed(2)} > ${QUIET_LOAD} before this part: its figures are noisy, not results`,
    );
  const out = await fn();
  out.loadavg_1min = { before, after: loadavg()[0] };
  out.noisy = before > QUIET_LOAD;
  results[name] = out;
}

const failures = [];
try {
  for (const [name, fn] of [
    ['app', async () => ({ ...(await benchApp(url, { baseUrl: baseServer?.url, brotliUrl: brotliServer?.url })), base_commit: base })],
    ['batch', async () => (await import('./batch.mjs')).benchBatch(url)],
    ['fleet', async () => (await import('./fleet.mjs')).benchFleet(url)],
    ['workspace', async () => (await import('./workspace.mjs')).benchWorkspace(url)],
    ['parsers', async () => (await import('./parsers.mjs')).benchParsers()],
    ['threads', async () => (await import('./threads.mjs')).benchThreads()],
  ]) {
    if (!want(name)) continue;
    try {
      await part(name, fn);
    } catch (e) {
      // The smoke run goes on to the next part and fails at the end, naming each part that broke.
      if (!smoke) throw e;
      failures.push(`${name}: ${e instanceof Error ? e.stack : String(e)}`);
    }
  }
} finally {
  server.close();
  baseServer?.server.close();
  brotliServer?.server.close();
}
mkdirSync(join(root, 'bench', 'tmp'), { recursive: true });
writeFileSync(resultsPath, JSON.stringify(results, null, 2) + '\n');

const rows = [];
/** A part's rows; when the machine was busy before it, each figure says so. */
const addRows = (name, list) => {
  const r = results[name];
  const mark = r?.noisy ? ` (NOISY: load ${r.loadavg_1min.before.toFixed(2)} before this part)` : '';
  for (const [measure, result, target] of list) rows.push([measure, `${result}${mark}`, target]);
};
if (results.app) addRows('app', appRows(results.app));
for (const name of ['batch', 'fleet', 'workspace', 'parsers', 'threads']) if (results[name]) addRows(name, results[name].rows ?? []);
const table = ['| measure | result | target |', '|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
if (smoke) {
  console.log(table);
  const broken = rows.filter((r) => /did not complete|NaN|undefined/.test(r[1]));
  for (const r of broken) failures.push(`${r[0]}: ${r[1]}`);
  if (failures.length) {
    console.error(`bench smoke: ${failures.length} part(s) broke:\n${failures.join('\n')}`);
    process.exit(1);
  }
  console.log(
    `bench smoke: ${Object.keys(results)
      .filter((k) => k !== 'machine')
      .join(', ')} ran end to end (figures not comparable: tiny inputs, one run each)`,
  );
  process.exit(0);
}
const docPath = join(root, 'docs', 'speed.md');
const doc = readFileSync(docPath, 'utf8');
const start = '<!-- bench:start -->';
const end = '<!-- bench:end -->';
if (doc.includes(start)) {
  const stamp = `Measured by \`npm run bench\` on ${results.machine.cpus} cores, Node ${results.machine.node}. A figure marked NOISY was taken with the 1-minute load average above ${QUIET_LOAD} before its part: it is not a result.`;
  writeFileSync(docPath, doc.replace(new RegExp(`${start}[\\s\\S]*${end}`), `${start}\n${stamp}\n\n${table}\n${end}`));
}
console.log(table);
