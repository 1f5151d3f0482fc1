// A Parquet copy of a generated CSV table (a fleet log, a batch file), written with
// hyparquet-writer, and the CSV copy of exactly the same typed table: the two hold the same
// values, so the app must read them alike. Used by the Vitest and Playwright Parquet tests and
// by the bench (bench/fleet.mjs).
//
//   node bench/parquet-copy.mjs in.csv out.parquet [date type: DATE | TIMESTAMP | STRING]
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parquetWriteBuffer } from 'hyparquet-writer';

const DAY_MS = 86_400_000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Schema element of a column of `type`, nullable. */
function element(name, type) {
  const repetition_type = 'OPTIONAL';
  if (type === 'STRING') return { name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type };
  if (type === 'DATE') return { name, type: 'INT32', converted_type: 'DATE', repetition_type };
  if (type === 'TIMESTAMP') return { name, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', repetition_type };
  return { name, type, repetition_type };
}

/** A CSV cell as a value of `type`, or null when it cannot be one (the typed file has a null there). */
function typed(cell, type) {
  if (cell === undefined || cell.trim() === '') return null;
  if (type === 'STRING') return cell;
  if (type === 'BOOLEAN') return cell === '1' || cell.toLowerCase() === 'true';
  if (type === 'DATE' || type === 'TIMESTAMP') return ISO_DAY.test(cell) && Number.isFinite(Date.parse(cell)) ? new Date(Date.parse(cell)) : null;
  const n = Number(cell);
  if (!Number.isFinite(n)) return null;
  if (type === 'INT32') return Number.isInteger(n) && Math.abs(n) < 2 ** 31 ? n : null;
  return n;
}

/** A typed value as a CSV cell, as the app's Parquet reader writes it. */
function cellOf(v) {
  if (v === null) return '';
  if (v instanceof Date) return v.getTime() % DAY_MS === 0 ? v.toISOString().slice(0, 10) : v.toISOString();
  if (typeof v === 'boolean') return v ? '1' : '0';
  return String(v);
}

/**
 * `text`: a plain CSV table (no quoted cells), header first. `types`: column -> DOUBLE (the
 * default), INT32, STRING, DATE, TIMESTAMP or BOOLEAN. Returns the Parquet bytes and the CSV of
 * the same typed values (a cell a type cannot hold is null in both: empty in the CSV).
 */
export function parquetCopy(text, { types = {}, rowGroupSize = 100_000, codec = 'SNAPPY', csv = true } = {}) {
  const lines = text.split(/\r?\n/).filter((l) => l !== '');
  const header = lines[0].split(',');
  const kinds = header.map((h) => types[h] ?? 'DOUBLE');
  const n = lines.length - 1;
  const data = header.map(() => new Array(n));
  for (let r = 0; r < n; r++) {
    const cells = lines[r + 1].split(',');
    for (let c = 0; c < header.length; c++) data[c][r] = typed(cells[c], kinds[c]);
  }
  const schema = [{ name: 'root', num_children: header.length }, ...header.map((h, c) => element(h, kinds[c]))];
  const parquet = parquetWriteBuffer({ columnData: header.map((name, c) => ({ name, data: data[c] })), schema, rowGroupSize, codec });
  if (!csv) return { parquet, csv: null, rows: n };
  const out = [header.join(',')];
  for (let r = 0; r < n; r++) out.push(data.map((col) => cellOf(col[r])).join(','));
  return { parquet, csv: out.join('\n') + '\n', rows: n };
}

/** The types of a fleet log's columns: date as asked, the device id as text, the label INT32, the counters DOUBLE. */
export function fleetTypes(dates = 'DATE') {
  return { date: dates, device: 'STRING', failure: 'INT32' };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [input, out, dates] = process.argv.slice(2);
  if (!input || !out) throw new Error('usage: node bench/parquet-copy.mjs in.csv out.parquet [DATE|TIMESTAMP|STRING]');
  const { parquet, rows } = parquetCopy(readFileSync(input, 'utf8'), { types: fleetTypes(dates ?? 'DATE') });
  writeFileSync(out, new Uint8Array(parquet));
  console.log({ out, rows, bytes: parquet.byteLength });
}
