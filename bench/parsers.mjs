// The maintained CSV parsers side by side on the fleet's workload: the full device log (or a
// generated log of the same shape when DATA_DIR is not set), parsed from one string into rows of
// strings, in this Node process (the same V8 as Chromium's workers). Each parser's rows must
// equal PapaParse's (the app's parser) cell for cell, and each is asked what the app needs on top
// of speed: the row a quote problem is on, so that a bad row is listed and the others kept.
//
//   node bench/parsers.mjs            (npm run bench -- parsers does the same, with the load check)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { csvParseRows } from 'd3-dsv';
import Papa from 'papaparse';
import simpleParse from 'csv-simple-parser';
import { inferSchema, initParser } from 'udsv';
import { smoke } from './lib.mjs';
import { fleetCsv } from './make-fleet-log.mjs';

const RUNS = smoke ? 1 : Number(process.env.BENCH_PARSER_RUNS ?? 7);

/** Each parser: text -> rows of strings (header included). */
export const parsers = {
  papaparse: (text) => Papa.parse(text, { delimiter: ',', newline: '\n' }).data,
  'papaparse (fastMode, no quote handling)': (text) => Papa.parse(text, { delimiter: ',', newline: '\n', fastMode: true }).data,
  udsv: (text) => initParser(inferSchema(text, { header: () => [] })).stringArrs(text),
  'd3-dsv': (text) => csvParseRows(text),
  'csv-simple-parser': (text) => simpleParse(text),
};

/** Rows without the empty last one every parser here keeps, in its own way, after a final line break. */
const trimmed = (rows) => (rows.length && rows.at(-1).every((c) => c === '' || c == null) ? rows.slice(0, -1) : rows);

/** What a parser says of a row with an unclosed quote in the middle of a file: the rows it keeps, and whether it names the row. */
function quoteProblem(parse) {
  const text = 'a,b\n1,2\n3,"4\n5,6\n7,8\n';
  try {
    const rows = trimmed(parse(text));
    const papa = Papa.parse(text, { delimiter: ',', newline: '\n' });
    const names = parse === parsers.papaparse ? papa.errors.map((e) => `row ${e.row}: ${e.code}`).join('; ') : 'no error reported';
    return { rows: rows.length, says: names };
  } catch (e) {
    return { rows: 0, says: `throws: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

export function logText() {
  const dataDir = process.env.DATA_DIR;
  const file = dataDir && join(dataDir, 'device_failure.csv');
  if (file && existsSync(file))
    return { text: readFileSync(file, 'latin1').replace(/\r\n/g, '\n'), source: 'the full device log (DATA_DIR/device_failure.csv)' };
  const devices = smoke ? 20 : 1200;
  return {
    text: fleetCsv({ devices, days: 100, degrading: [2, 5], seed: 7 }),
    source: `a generated log (${devices} devices, 100 days; DATA_DIR not set)`,
  };
}

export async function benchParsers() {
  const { text, source } = logText();
  const reference = trimmed(parsers.papaparse(text));
  const out = { source, bytes: text.length, data_rows: reference.length - 1, runs: RUNS, parsers: {} };
  for (const [name, parse] of Object.entries(parsers)) {
    const times = [];
    let rows = null;
    for (let i = 0; i < RUNS + 1; i++) {
      const t0 = performance.now();
      rows = parse(text);
      const ms = performance.now() - t0;
      if (i > 0) times.push(ms); // the first run compiles the parser
    }
    rows = trimmed(rows);
    const same =
      rows.length === reference.length && rows.every((r, i) => r.length === reference[i].length && r.every((c, j) => c === reference[i][j]));
    const ms = median(times);
    out.parsers[name] = {
      median_ms: Math.round(ms * 10) / 10,
      mb_per_s: Math.round((text.length / 1e6 / (ms / 1000)) * 10) / 10,
      same_rows_as_papaparse: same,
      unclosed_quote: quoteProblem(parse),
    };
  }
  const papa = out.parsers.papaparse.median_ms;
  for (const p of Object.values(out.parsers)) p.ratio_to_papaparse = Math.round((p.median_ms / papa) * 100) / 100;
  out.rows = [
    [
      `CSV parsers side by side, ${source}, ${out.data_rows} rows, ${(out.bytes / 1e6).toFixed(1)} MB, one string to rows of strings in Node (median of ${RUNS}; the app reads with PapaParse)`,
      Object.entries(out.parsers)
        .map(
          ([name, p]) =>
            `${name} ${p.median_ms} ms (${p.mb_per_s} MB/s, x${p.ratio_to_papaparse}${p.same_rows_as_papaparse ? '' : ', rows DIFFER from PapaParse'}; unclosed quote: ${p.unclosed_quote.says})`,
        )
        .join('; '),
      'the fastest that keeps every rule',
    ],
  ];
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchParsers();
  console.log(`${r.source}: ${r.data_rows} rows, ${(r.bytes / 1e6).toFixed(1)} MB, median of ${r.runs}`);
  for (const [name, p] of Object.entries(r.parsers))
    console.log(
      `${name.padEnd(42)} ${String(p.median_ms).padStart(7)} ms ${String(p.mb_per_s).padStart(6)} MB/s  x${p.ratio_to_papaparse}  same rows: ${p.same_rows_as_papaparse}  unclosed quote: ${p.unclosed_quote.rows} rows, ${p.unclosed_quote.says}`,
    );
}
