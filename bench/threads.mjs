// Scoring on two cores, two ways, side by side in one cross-origin isolated page (issue 23: do
// onnxruntime-web's own threads beat the app's helper worker?):
//   - one worker, one thread: all rows (the reference);
//   - one worker, onnxruntime-web with 2 threads (needs SharedArrayBuffer, so COOP + COEP);
//   - two workers of one thread each, half the rows each, at once (what the app's batch worker
//     and its helper do with the rows they score).
// The device batch's model (device-rf) on the full device file's rows (DATA_DIR), or generated
// rows without it; session.run only, in chunks as the batch worker sends them. Every way must
// give one thread's probabilities, to float rounding (threads may add the trees in another order).
//
//   node bench/threads.mjs        (npm run bench -- threads does the same, with the load check)
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { launch, median, root, smoke } from './lib.mjs';
import { makeBigCsv } from './make-big-csv.mjs';

const RUNS = smoke ? 1 : Number(process.env.BENCH_THREADS_RUNS ?? 7);
/** The batch worker's chunk (src/inference/worker/batch.ts CHUNK_ROWS). */
const CHUNK = 4096;
const MODEL = 'device-rf';

const types = { '.html': 'text/html', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.onnx': 'application/octet-stream' };
const folders = {
  '/ort/': join(root, 'node_modules', 'onnxruntime-web', 'dist'),
  '/models/': join(root, 'public', 'models'),
  '/': join(root, 'bench', 'threads'),
};

/** This page's files, sent with the two headers that make it cross-origin isolated. */
function serve(port) {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const [prefix, dir] = Object.entries(folders).find(([p]) => path.startsWith(p));
    const file = join(dir, path.slice(prefix.length) || 'index.html');
    if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, {
      'content-type': types[extname(file)] ?? 'application/octet-stream',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(port, '127.0.0.1', () => ok(server)));
}

/** The model's inputs from a device CSV (metricK is the file's attributeK), row after row. */
function deviceRows() {
  const dataDir = resolve(process.env.DATA_DIR || join(root, '..', 'shared', 'data'));
  const real = join(dataDir, 'device_failure.csv');
  const source = existsSync(real) && !smoke ? 'the full device file' : 'a generated device file';
  const path = source === 'the full device file' ? real : makeBigCsv({ rows: Number(process.env.BENCH_BIG_ROWS ?? 124_494) }).path;
  const manifest = JSON.parse(readFileSync(join(root, 'public', 'models', 'manifest.json'), 'utf8'));
  const features = manifest.models.find((m) => m.id === MODEL).features.map((f) => f.name);
  const [head, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const cols = features.map((f) => head.split(',').indexOf(f.replace('metric', 'attribute')));
  if (cols.includes(-1)) throw new Error(`threads bench: ${path} lacks one of ${features.join(', ')}`);
  const x = new Float32Array(lines.length * features.length);
  lines.forEach((line, i) => {
    const cells = line.split(',');
    cols.forEach((c, j) => (x[i * features.length + j] = Number(cells[c])));
  });
  return { source, rows: lines.length, features: features.length, x };
}

export async function benchThreads() {
  const { source, rows, features, x } = deviceRows();
  const server = await serve(4178);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto('http://127.0.0.1:4178/');
    const r = await page.evaluate(
      async ({ xs, features, chunk, runs, model }) => {
        const all = new Float32Array(xs);
        const start = (threads, part) =>
          new Promise((ok, fail) => {
            const w = new Worker('/score-worker.mjs', { type: 'module' });
            w.onerror = (e) => fail(new Error(e.message));
            w.onmessage = (e) => ok({ w, isolated: e.data.isolated });
            w.postMessage({ threads, features, x: part.slice().buffer, chunk, model });
          });
        const score = (w) =>
          new Promise((ok) => {
            w.onmessage = (e) => ok(e.data);
            w.postMessage(0);
          });
        const half = Math.ceil(all.length / features / 2) * features;
        const one = await start(1, all);
        const two = await start(2, all);
        const a = await start(1, all.subarray(0, half));
        const b = await start(1, all.subarray(half));
        const ms = { one: [], two: [], split: [] };
        const diff = { two: 0, split: 0 };
        for (let k = 0; k < runs; k++) {
          // Alternating, so that the machine's drift falls on all three alike.
          const ref = await score(one.w);
          ms.one.push(ref.ms);
          const t = await score(two.w);
          ms.two.push(t.ms);
          const t0 = performance.now();
          const [pa, pb] = await Promise.all([score(a.w), score(b.w)]);
          ms.split.push(performance.now() - t0);
          const p = new Float32Array(ref.p.length);
          p.set(pa.p);
          p.set(pb.p, pa.p.length);
          for (let i = 0; i < p.length; i++) {
            diff.two = Math.max(diff.two, Math.abs(ref.p[i] - t.p[i]));
            diff.split = Math.max(diff.split, Math.abs(ref.p[i] - p[i]));
          }
        }
        for (const w of [one, two, a, b]) w.w.terminate();
        return { ms, diff, isolated: two.isolated };
      },
      { xs: Array.from(x), features, chunk: CHUNK, runs: RUNS, model: `/models/${MODEL}.onnx` },
    );
    if (!r.isolated) throw new Error('threads bench: the page is not cross-origin isolated, so onnxruntime-web cannot start threads');
    // Threads may add the trees' votes in another order (float rounding); more than that is a fault.
    if (!(r.diff.two <= 1e-6 && r.diff.split <= 1e-6))
      throw new Error(`threads bench: probabilities differ from one thread's by ${JSON.stringify(r.diff)}`);
    const m = Object.fromEntries(Object.entries(r.ms).map(([k, v]) => [k, Math.round(median(v) * 10) / 10]));
    const out = { source, rows, model: MODEL, chunk_rows: CHUNK, runs: RUNS, median_ms: m, all_ms: r.ms, max_abs_difference: r.diff };
    out.rows = [
      [
        `Scoring on two cores, ${source} (${rows.toLocaleString('en')} rows, ${MODEL}, session.run in chunks of ${CHUNK}; cross-origin isolated page; median of ${RUNS}, alternating): one worker with onnxruntime-web's own 2 threads / two workers of one thread, half the rows each (the app's batch worker and helper) / one thread`,
        `${m.two} ms / ${m.split} ms / ${m.one} ms; own threads against two workers ${(m.two / m.split).toFixed(2)}, against one thread ${(m.two / m.one).toFixed(2)}; largest difference in a probability from one thread's: ${r.diff.two.toExponential(1)} / ${r.diff.split.toExponential(1)}`,
        '',
      ],
    ];
    return out;
  } finally {
    await browser.close();
    server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchThreads();
  console.log(JSON.stringify({ ...r, all_ms: undefined }, null, 1));
}
