// A large synthetic device file for the batch benchmark: same columns and roughly the same
// value ranges as device_failure.csv (date,device,failure,attribute1..attribute9), but every
// value comes from a seeded PRNG, so the file is the same bytes on every machine.
//
//   node bench/make-big-csv.mjs [rows=1000000] [out=bench/tmp/device-<rows>.csv]
import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prng } from './prng.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const HEADER = 'date,device,failure,attribute1,attribute2,attribute3,attribute4,attribute5,attribute6,attribute7,attribute8,attribute9\n';
// Bump when the generator changes, so a cached file of an older generator is not reused.
const GENERATOR_VERSION = 1;

export function bigCsvPath(rows = 1_000_000) {
  return join(root, 'bench', 'tmp', `device-${rows}-v${GENERATOR_VERSION}.csv`);
}

/**
 * Write `rows` device-like rows to `out` (skipped when the file is already there).
 * Returns { path, rows, bytes, failures }.
 */
export function makeBigCsv({ rows = 1_000_000, seed = 20150101, out = bigCsvPath(rows) } = {}) {
  if (existsSync(out)) return { path: out, rows, bytes: statSync(out).size, failures: null, cached: true };
  mkdirSync(dirname(out), { recursive: true });
  const rnd = prng(seed);
  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  // Mostly zero, else a heavy tail up to max (the counters of the real data look like this).
  const sparse = (pZero, max) => (rnd() < pZero ? 0 : Math.min(max, Math.floor(Math.exp(rnd() * Math.log(max + 1)))));
  const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());

  const prefixes = ['S1F0', 'W1F0', 'S1F1', 'W1F1', 'Z1F0', 'Z1F1'];
  const devices = Array.from({ length: 4000 }, (_, i) => prefixes[i % prefixes.length] + int(0, 0xffff).toString(16).toUpperCase().padStart(4, '0'));
  const start = Date.UTC(2015, 0, 1);
  const days = 306; // 2015-01-01 .. 2015-11-02, as in the real file
  const dates = Array.from({ length: days }, (_, d) => new Date(start + d * 86_400_000).toISOString().slice(0, 10));

  const tmp = `${out}.part`;
  const fd = openSync(tmp, 'w');
  let bytes = writeSync(fd, HEADER);
  let failures = 0;
  let buf = [];
  for (let i = 0; i < rows; i++) {
    const date = dates[Math.floor((i * days) / rows)];
    const device = devices[i % devices.length];
    // About 300 failures in a million rows; failing rows lean to non-zero counters 2, 4 and 7,
    // so the evaluation has something to find.
    const failure = rnd() < 0.0003 ? 1 : 0;
    failures += failure;
    const z = failure ? 0.5 : 1;
    const a7 = sparse(1 - (1 - 0.988) / z, 832);
    const row = [
      date,
      device,
      failure,
      int(0, 244_140_480),
      sparse(1 - (1 - 0.949) / z, 64_968),
      sparse(0.927, 24_929),
      sparse(1 - (1 - 0.925) / z, 1_666),
      rnd() < 0.97 ? int(3, 14) : int(15, 98),
      Math.max(8, Math.min(689_161, Math.round(255_000 + 85_000 * normal()))),
      a7,
      a7, // attribute8 repeats attribute7, as in the real data
      sparse(0.782, 18_701),
    ];
    buf.push(row.join(','));
    if (buf.length === 10_000) {
      bytes += writeSync(fd, buf.join('\n') + '\n');
      buf = [];
    }
  }
  if (buf.length) bytes += writeSync(fd, buf.join('\n') + '\n');
  closeSync(fd);
  renameSync(tmp, out);
  return { path: out, rows, bytes, failures, cached: false };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = Number(process.argv[2] ?? 1_000_000);
  const out = process.argv[3] ?? bigCsvPath(rows);
  const t0 = performance.now();
  const r = makeBigCsv({ rows, out });
  console.log(JSON.stringify({ ...r, ms: Math.round(performance.now() - t0) }));
}
