// A generated daily fleet log (date,device,failure,attribute1..9), seeded so that it is the
// same bytes everywhere: most devices steady, a few degrading (counters 2, 4 and 7 climbing over
// their last days). Used by the Fleet e2e test (a few devices) and the bench (1,000,000 rows).
//
//   node bench/make-fleet-log.mjs [rows=1000000] [out=bench/tmp/fleet-<rows>.csv]
// makeFleetParquet writes the same log as Parquet, for the bench's Parquet-against-CSV rows.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fleetTypes, parquetCopy } from './parquet-copy.mjs';
import { prng } from './prng.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const HEADER = 'date,device,failure,attribute1,attribute2,attribute3,attribute4,attribute5,attribute6,attribute7,attribute8,attribute9\n';
const GENERATOR_VERSION = 1;
/** Bumped when the Parquet copy is written differently (cached files are then written again). */
const PARQUET_VERSION = 1;
const DAY_MS = 86_400_000;
const START = Date.UTC(2015, 0, 1);

const iso = (day) => new Date(START + day * DAY_MS).toISOString().slice(0, 10);

/**
 * Rows of `devices` devices over `days` days, day by day (as a log is written). Devices listed in
 * `degrading` (indices) climb over their last `ramp` days and fail on the last day (failure = 1).
 * Yields CSV lines (with '\n').
 */
export function* fleetLines({ devices = 6, days = 40, degrading = [2], ramp = 12, seed = 7, withFailure = true } = {}) {
  const rnd = prng(seed);
  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  const base = Array.from({ length: devices }, () => ({ a1: int(1e6, 2.4e8), a3: int(0, 3), a5: int(3, 20), a6: int(2e5, 4e5), a9: int(0, 3) }));
  const bad = new Set(degrading);
  for (let d = 0; d < days; d++) {
    for (let e = 0; e < devices; e++) {
      const b = base[e];
      const climb = bad.has(e) ? Math.max(0, d - (days - 1 - ramp)) : 0;
      const a2 = climb ? climb * climb * 20 : 0;
      const a4 = climb ? climb * 6 : rnd() < 0.02 ? 1 : 0;
      const a7 = climb ? climb * 4 : 0;
      const fail = withFailure ? (bad.has(e) && d === days - 1 ? 1 : 0) : null;
      const a1 = int(1e6, 2.4e8);
      const cells = [
        iso(d),
        `DEV${String(e).padStart(5, '0')}`,
        ...(fail === null ? [] : [fail]),
        a1,
        a2,
        b.a3,
        a4,
        b.a5,
        b.a6 + d * 10,
        a7,
        a7,
        b.a9,
      ];
      yield cells.join(',') + '\n';
    }
  }
}

export function fleetCsv(opts = {}) {
  const head = opts.withFailure === false ? HEADER.replace('failure,', '') : HEADER;
  return head + [...fleetLines(opts)].join('');
}

export function fleetLogPath(rows) {
  return join(root, 'bench', 'tmp', `fleet-${rows}-v${GENERATOR_VERSION}.csv`);
}

/** A log of about `rows` rows: 8,000 devices over rows / 8,000 days, 1 % degrading. Cached. */
export function makeFleetLog({ rows = 1_000_000, devices = 8_000, out = fleetLogPath(rows) } = {}) {
  if (existsSync(out)) return { path: out, bytes: statSync(out).size, devices, cached: true };
  mkdirSync(dirname(out), { recursive: true });
  const days = Math.ceil(rows / devices);
  const degrading = Array.from({ length: devices / 100 }, (_, i) => i * 100 + 7);
  const tmp = `${out}.tmp`;
  const fd = openSync(tmp, 'w');
  let buf = HEADER;
  let n = 0;
  for (const line of fleetLines({ devices, days, degrading, seed: 11 })) {
    if (n++ >= rows) break;
    buf += line;
    if (buf.length > 1 << 20) {
      writeSync(fd, buf);
      buf = '';
    }
  }
  writeSync(fd, buf);
  closeSync(fd);
  renameSync(tmp, out);
  return { path: out, bytes: statSync(out).size, devices, cached: false };
}

/**
 * The same log as Parquet (hyparquet-writer: date as DATE, device as text, failure INT32, counters
 * DOUBLE, snappy, row groups of 100,000 rows), written from the CSV log. Cached beside it.
 */
export function makeFleetParquet({ rows = 1_000_000, devices = 8_000 } = {}) {
  const csv = makeFleetLog({ rows, devices });
  const out = csv.path.replace(/\.csv$/, `-p${PARQUET_VERSION}.parquet`);
  if (existsSync(out)) return { path: out, bytes: statSync(out).size, csv, cached: true };
  const { parquet } = parquetCopy(readFileSync(csv.path, 'utf8'), { types: fleetTypes('DATE'), csv: false });
  writeFileSync(`${out}.tmp`, new Uint8Array(parquet));
  renameSync(`${out}.tmp`, out);
  return { path: out, bytes: parquet.byteLength, csv, cached: false };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = Number(process.argv[2] ?? 1_000_000);
  console.log(makeFleetLog({ rows, ...(process.argv[3] ? { out: process.argv[3] } : {}) }));
}
