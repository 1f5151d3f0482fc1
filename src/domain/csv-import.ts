import Papa from 'papaparse';
import type { DomainSpec } from '@/domain/domains';
import { fieldSchema, toNumberOrUndefined, type FieldSpec, type Values } from '@/domain/fields';
import { isPositive, type ModelEntry } from '@/domain/manifest';

/**
 * CSV import for batch scoring: column matching, row checks with the form's zod schema,
 * streaming parse (PapaParse's parser fed from Blob.stream()) and the result writer.
 * Pure TS: runs in the worker and in Vitest alike.
 */

// ---------------------------------------------------------------------------------------
// Columns

export interface ColumnRef {
  /** Position in the file's header (0-based). */
  index: number;
  /** The column's name as written in the file (BOM stripped). */
  name: string;
}

export interface FeatureColumn extends ColumnRef {
  field: FieldSpec;
}

export interface ColumnMap {
  /** Header cells as read, in file order (BOM stripped, otherwise untouched). */
  header: string[];
  /** One per model input, in the requested feature order. */
  features: FeatureColumn[];
  /** The label column (DEATH_EVENT / failure) when the file has it. */
  label: ColumnRef | null;
  /** Columns kept only for display and download (ids, dates, unused fields), file order. */
  passThrough: ColumnRef[];
  /** Known duplicates that are not model inputs (metric8 / attribute8). */
  ignored: ColumnRef[];
}

export type ResolveResult =
  | { ok: true; columns: ColumnMap }
  | {
      ok: false;
      /** Canonical names of required fields with no column, e.g. ["metric3"]. */
      missing: string[];
      /** Fields (or the label) claimed by more than one column. */
      duplicates: { field: string; columns: string[] }[];
      message: string;
    };

const BOM = '\ufeff';
const norm = (s: string) => s.trim().toLowerCase();

function orList(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/**
 * Match header cells to the domain's fields by name: trimmed, case-insensitive, any order,
 * aliases allowed (attributeN for metricN). `featureOrder` is the model's input list (from
 * the manifest); fields of the domain that the model does not read are passed through.
 */
export function resolveColumns(
  header: readonly string[],
  domain: DomainSpec,
  featureOrder: readonly string[] = domain.fields.map((f) => f.name),
): ResolveResult {
  const cells = header.map((h, i) => (i === 0 && h.startsWith(BOM) ? h.slice(1) : h));
  const byName = new Map<string, FieldSpec>();
  for (const f of domain.fields) {
    byName.set(norm(f.name), f);
    for (const a of f.aliases ?? []) byName.set(norm(a), f);
  }
  const unknownInputs = featureOrder.filter((n) => !domain.fields.some((f) => f.name === n));
  if (unknownInputs.length > 0) {
    // A manifest/domain mismatch, not a problem with the user's file; still a value, not a throw.
    return {
      ok: false,
      missing: unknownInputs,
      duplicates: [],
      message: `The model reads ${unknownInputs.join(', ')}, which ${unknownInputs.length > 1 ? 'are not fields' : 'is not a field'} of ${domain.title}`,
    };
  }
  const wanted = new Set(featureOrder);
  const ignored = new Set(domain.ignoredColumns.map(norm));
  const labelName = norm(domain.labelColumn);

  const claims = new Map<string, ColumnRef[]>();
  const claim = (key: string, ref: ColumnRef) => claims.set(key, [...(claims.get(key) ?? []), ref]);
  const passThrough: ColumnRef[] = [];
  const ignoredRefs: ColumnRef[] = [];
  cells.forEach((name, index) => {
    const n = norm(name);
    const ref = { index, name };
    const field = byName.get(n);
    if (field && wanted.has(field.name)) claim(field.name, ref);
    else if (n === labelName) claim(domain.labelColumn, ref);
    else if (ignored.has(n)) ignoredRefs.push(ref);
    else passThrough.push(ref);
  });

  const missing = featureOrder.filter((n) => !claims.has(n));
  const duplicates = [...claims].filter(([, refs]) => refs.length > 1).map(([field, refs]) => ({ field, columns: refs.map((r) => r.name) }));
  if (missing.length > 0 || duplicates.length > 0) {
    const parts: string[] = [];
    if (missing.length > 0) {
      const described = missing.map((n) => {
        const f = domain.fields.find((x) => x.name === n)!;
        return f.aliases?.length ? `${n} (or ${orList(f.aliases)})` : n;
      });
      parts.push(`The file is missing ${missing.length > 1 ? 'required columns' : 'a required column'}: ${described.join(', ')}.`);
    }
    for (const d of duplicates) parts.push(`Columns ${d.columns.map((c) => `"${c}"`).join(' and ')} both give ${d.field}; keep only one.`);
    return { ok: false, missing, duplicates, message: parts.join(' ') };
  }
  const features = featureOrder.map((name) => {
    const ref = claims.get(name)![0]!;
    return { ...ref, field: domain.fields.find((f) => f.name === name)! };
  });
  const label = claims.get(domain.labelColumn)?.[0] ?? null;
  return { ok: true, columns: { header: cells, features, label, passThrough, ignored: ignoredRefs } };
}

// ---------------------------------------------------------------------------------------
// Rows

export interface CellError {
  /** Physical line in the file, 1-based; the header is line 1 (or later, after blank lines). */
  line: number;
  /** Column name as written in the file; '' when the whole row is at fault. */
  column: string;
  value: string;
  message: string;
}

export type RowCheck =
  | { ok: true; line: number; values: Values; label: 0 | 1 | null; passThrough: string[] }
  | { ok: false; line: number; errors: CellError[] };

/** A row whose cells are all blank: skipped, like PapaParse's skipEmptyLines: 'greedy'. */
export function isBlankRow(cells: readonly string[]): boolean {
  // Shortcut for the usual row: a first cell starting with a visible ASCII character.
  const k = cells[0]?.charCodeAt(0) ?? 0;
  if (k > 32 && k < 127) return false;
  for (const c of cells) if (c.trim() !== '') return false;
  return true;
}

/**
 * Precompiled checks for one ColumnMap. The hot path repeats the zod schema's rules on
 * plain numbers; any cell it does not accept goes through the field's zod schema, which
 * stays the authority for both the verdict and the message (see the equivalence test).
 */
export class RowChecker {
  readonly width: number;
  readonly nFeatures: number;
  /** Feature values of the last row that passed, in feature order. */
  readonly values: Float64Array;
  /** Label of the last row that passed: 0, 1, or -1 when the file has no label column. */
  label = -1;
  private readonly schemas = new Map<string, ReturnType<typeof fieldSchema>>();

  constructor(readonly columns: ColumnMap) {
    this.width = columns.header.length;
    this.nFeatures = columns.features.length;
    this.values = new Float64Array(this.nFeatures);
  }

  /** Null when the row is good (read `values` and `label`), else its errors. */
  check(cells: readonly string[], line: number): CellError[] | null {
    if (cells.length !== this.width) {
      return [
        {
          line,
          column: '',
          value: '',
          message: `Line ${line} has ${cells.length} cell${cells.length === 1 ? '' : 's'}; the header has ${this.width} columns`,
        },
      ];
    }
    let errors: CellError[] | null = null;
    const feats = this.columns.features;
    for (let i = 0; i < feats.length; i++) {
      const fc = feats[i]!;
      const raw = cells[fc.index]!;
      const v = cellValue(raw);
      if (typeof v === 'number' && passes(fc.field, v)) {
        this.values[i] = v;
        continue;
      }
      const r = this.schemaOf(fc.field).safeParse(raw);
      if (r.success) {
        this.values[i] = r.data;
        continue;
      }
      (errors ??= []).push({ line, column: fc.name, value: raw, message: r.error.issues.map((x) => x.message).join('; ') });
    }
    const lab = this.columns.label;
    if (lab) {
      const raw = cells[lab.index]!;
      const v = cellValue(raw);
      if (v === 0 || v === 1) this.label = v;
      else {
        const got = raw.trim() === '' ? 'an empty cell' : `"${raw}"`;
        (errors ??= []).push({ line, column: lab.name, value: raw, message: `Label column ${lab.name}: expected 0 or 1, got ${got}` });
      }
    } else this.label = -1;
    return errors;
  }

  private schemaOf(f: FieldSpec) {
    let s = this.schemas.get(f.name);
    if (!s) {
      // Built once per field: fields.validate() builds a whole object schema per call (~1 ms).
      s = fieldSchema(f);
      this.schemas.set(f.name, s);
    }
    return s;
  }
}

/** toNumberOrUndefined, with a shortcut for the common plain-digits cell (about 2x faster). */
function cellValue(raw: string): unknown {
  const n = raw.length;
  if (n > 0 && n <= 15) {
    let i = 0;
    while (i < n) {
      const c = raw.charCodeAt(i);
      if (c < 48 || c > 57) break;
      i++;
    }
    if (i === n) return +raw;
  }
  return toNumberOrUndefined(raw);
}

/** The zod schema's rules for an already-parsed finite number (fieldSchema in fields.ts). */
function passes(f: FieldSpec, v: number): boolean {
  if (!Number.isFinite(v)) return false;
  if (f.kind === 'yes-no' || f.kind === 'sex') return v === 0 || v === 1;
  if (v < f.min || v > f.max) return false;
  return f.kind !== 'integer' || Number.isSafeInteger(v);
}

/** Check one data row (convenience form of RowChecker for single rows and tests). */
export function checkRow(cells: readonly string[], line: number, columns: ColumnMap, checker = new RowChecker(columns)): RowCheck {
  const errors = checker.check(cells, line);
  if (errors) return { ok: false, line, errors };
  const values: Values = {};
  columns.features.forEach((f, i) => (values[f.field.name] = checker.values[i]!));
  return {
    ok: true,
    line,
    values,
    label: checker.label === -1 ? null : (checker.label as 0 | 1),
    passThrough: columns.passThrough.map((c) => cells[c.index]!),
  };
}

// ---------------------------------------------------------------------------------------
// Streaming

export interface CsvProgress {
  /** Data rows delivered so far (blank lines are not rows): rowsValid + rowsRejected. */
  rowsRead: number;
  rowsValid: number;
  rowsRejected: number;
  /** Bytes of the Blob consumed (UTF-16 code units for string input). */
  bytesRead: number;
  totalBytes: number;
}

export interface RejectedRow {
  line: number;
  errors: CellError[];
  cells: string[];
}

/** One batch of rows, ready for inference: row i's inputs are features[i*nFeatures ...]. */
export interface CsvBatch {
  rows: number;
  nFeatures: number;
  /** rows × nFeatures, row-major, in the feature order given to streamCsv. */
  features: Float32Array;
  /** Label per valid row: 0 / 1, or -1 when the file has no label column. */
  labels: Int8Array;
  /** Physical line of each valid row. */
  lines: Int32Array;
  /** Raw cells of each valid row, all columns as read (for display and download). */
  cells: string[][];
  rejected: RejectedRow[];
  /** Totals including this batch. */
  progress: CsvProgress;
}

export interface StreamOptions {
  /** Model input names in the model's order (manifest features); default: all domain fields. */
  featureOrder?: readonly string[];
  /** Rows (valid + rejected) per batch; default 8192. */
  chunkRows?: number;
  /** Text handed to the parser at a time; default 256 Ki characters. */
  pieceChars?: number;
  /** A row longer than this is taken as an unclosed quote and stops the import; default 1 Mi. */
  maxRowChars?: number;
  signal?: AbortSignal;
  onHeader?: (columns: ColumnMap) => void | Promise<void>;
  /** Parsing waits while a returned promise is pending: that is the pause (backpressure). */
  onBatch: (batch: CsvBatch) => void | Promise<void>;
}

/** Resolves with a value for every outcome of the file itself; rethrows what onHeader / onBatch throw. */
export type StreamResult =
  | ({ status: 'done'; columns: ColumnMap } & CsvProgress)
  | ({ status: 'aborted' } & CsvProgress)
  | { status: 'refused'; message: string; missing: string[]; duplicates: { field: string; columns: string[] }[] }
  | ({ status: 'failed'; message: string } & CsvProgress);

/** Decoded text in pieces of at most `pieceChars`; UTF-8 split across reads is kept whole. */
async function* textPieces(input: Blob | string, pieceChars: number, progress: CsvProgress): AsyncGenerator<string> {
  if (typeof input === 'string') {
    progress.totalBytes = input.length;
    for (let i = 0; i < input.length; i += pieceChars) {
      const piece = input.slice(i, i + pieceChars);
      progress.bytesRead = Math.min(input.length, i + pieceChars);
      yield piece;
    }
    return;
  }
  progress.totalBytes = input.size;
  const reader = input.stream().getReader();
  // ignoreBOM false (the default): the decoder drops a leading UTF-8 BOM.
  const decoder = new TextDecoder('utf-8');
  try {
    for (;;) {
      const { done, value } = await reader.read();
      const text = done ? decoder.decode() : decoder.decode(value, { stream: true });
      if (!done) progress.bytesRead += value.byteLength;
      for (let i = 0; i < text.length; i += pieceChars) yield text.slice(i, i + pieceChars);
      if (done) return;
    }
  } finally {
    // Stops the underlying read when the consumer leaves early (abort, refusal, failure).
    reader.cancel().catch(() => undefined);
  }
}

function countOf(s: string, sub: string, from = 0, to = s.length): number {
  let n = 0;
  for (let i = s.indexOf(sub, from); i !== -1 && i < to; i = s.indexOf(sub, i + sub.length)) n++;
  return n;
}

const SNIFF_CHARS = 64 * 1024;

class CallbackError extends Error {
  constructor(readonly cause: unknown) {
    super('callback failed');
  }
}

async function callback(fn: () => void | Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    throw new CallbackError(e);
  }
}

/**
 * Stream a CSV file: header check, then batches of checked rows. Never reads the whole
 * file into one string. Line numbers are physical lines: a quoted field with line breaks
 * advances them (counted as the file's own line-break sequence, which PapaParse detects).
 */
export async function streamCsv(input: Blob | string, domain: DomainSpec, opts: StreamOptions): Promise<StreamResult> {
  const featureOrder = opts.featureOrder ?? domain.fields.map((f) => f.name);
  const chunkRows = Math.max(1, opts.chunkRows ?? 8192);
  const pieceChars = Math.max(1024, opts.pieceChars ?? 256 * 1024);
  const maxRowChars = opts.maxRowChars ?? 1024 * 1024;
  const progress: CsvProgress = { rowsRead: 0, rowsValid: 0, rowsRejected: 0, bytesRead: 0, totalBytes: 0 };
  const snapshot = () => ({ ...progress });

  let columns: ColumnMap | null = null;
  let checker: RowChecker | null = null;
  let batch: ReturnType<typeof newBatch> | null = null;
  const newBatch = (nF: number) => ({
    rows: 0,
    features: new Float32Array(chunkRows * nF),
    labels: new Int8Array(chunkRows),
    lines: new Int32Array(chunkRows),
    cells: [] as string[][],
    rejected: [] as RejectedRow[],
  });
  const flush = async () => {
    if (!batch || !checker || batch.rows + batch.rejected.length === 0) return;
    const b = batch;
    batch = newBatch(checker.nFeatures);
    const n = b.rows;
    const nF = checker.nFeatures;
    progress.rowsValid += n;
    progress.rowsRejected += b.rejected.length;
    progress.rowsRead = progress.rowsValid + progress.rowsRejected;
    const full = n === chunkRows;
    await callback(() => opts.onBatch({
      rows: n,
      nFeatures: nF,
      // A partial batch gets its own exact-size buffers, so they can be transferred whole.
      features: full ? b.features : b.features.slice(0, n * nF),
      labels: full ? b.labels : b.labels.slice(0, n),
      lines: full ? b.lines : b.lines.slice(0, n),
      cells: b.cells,
      rejected: b.rejected,
      progress: snapshot(),
    }));
  };

  let parser: Papa.Parser | null = null;
  let newline = '\n';
  let partial = '';
  let line = 0; // physical lines fully consumed so far
  let sniffBuffer = '';

  type Outcome = StreamResult | null;
  const handleRows = async (rows: string[][], rowErrors: Map<number, string>, startLines: number[]): Promise<Outcome> => {
    for (let r = 0; r < rows.length; r++) {
      const cells = rows[r]!;
      const at = startLines[r]!;
      if (isBlankRow(cells)) continue;
      if (!columns) {
        const res = resolveColumns(cells, domain, featureOrder);
        if (!res.ok) return { status: 'refused', message: res.message, missing: res.missing, duplicates: res.duplicates };
        columns = res.columns;
        checker = new RowChecker(columns);
        batch = newBatch(checker.nFeatures);
        const cols = columns;
        await callback(() => opts.onHeader?.(cols));
        continue;
      }
      const b = batch!;
      const ck = checker!;
      const quoteProblem = rowErrors.get(r);
      const errors = quoteProblem
        ? [{ line: at, column: '', value: '', message: `Line ${at}: ${quoteProblem}` }]
        : ck.check(cells, at);
      if (errors) b.rejected.push({ line: at, errors, cells });
      else {
        const off = b.rows * ck.nFeatures;
        for (let i = 0; i < ck.nFeatures; i++) b.features[off + i] = ck.values[i]!;
        b.labels[b.rows] = ck.label;
        b.lines[b.rows] = at;
        b.cells.push(cells);
        b.rows++;
      }
      if (b.rows + b.rejected.length >= chunkRows) {
        await flush();
        if (opts.signal?.aborted) return { status: 'aborted', ...snapshot() };
      }
    }
    return null;
  };

  /** Parse everything complete in partial + text; the incomplete tail waits for more text. */
  const parseText = async (text: string, final: boolean): Promise<Outcome> => {
    const agg = partial + text;
    if (agg === '') return null;
    const res = parser!.parse(agg, 0, !final) as Papa.ParseResult<string[]>;
    const rows = res.data;
    const consumed = final ? agg.length : res.meta.cursor;
    partial = final ? '' : agg.substring(consumed);
    const rowErrors = new Map<number, string>();
    for (const e of res.errors) {
      if (e.type === 'Quotes' && e.row !== undefined && !rowErrors.has(e.row)) {
        rowErrors.set(e.row, e.code === 'MissingQuotes' ? 'a quoted field is never closed' : 'a quoted field is malformed (text after the closing quote)');
      }
    }
    // Row start lines. Every row but the last of the file ends with one line break; if the
    // consumed text has more breaks than that, some quoted cells hold line breaks.
    const terminated = final ? rows.length - 1 : rows.length;
    const breaks = countOf(agg, newline, 0, consumed);
    const startLines = new Array<number>(rows.length);
    if (breaks === terminated) {
      for (let r = 0; r < rows.length; r++) startLines[r] = line + 1 + r;
    } else {
      let l = line;
      for (let r = 0; r < rows.length; r++) {
        startLines[r] = l + 1;
        let inCells = 0;
        for (const c of rows[r]!) if (c.length > 0) inCells += countOf(c, newline);
        l += 1 + inCells;
      }
    }
    line += breaks;
    const out = await handleRows(rows, rowErrors, startLines);
    if (out || partial.length <= maxRowChars) return out;
    // Without this, an unclosed quote would make the rest of the file one growing string.
    await flush();
    return {
      status: 'failed',
      message: `Line ${line + 1}: a row runs on for more than ${maxRowChars.toLocaleString('en-US')} characters; probably a quote (") that is never closed`,
      ...snapshot(),
    };
  };

  const start = (sample: string) => {
    // PapaParse's own detection on a sample: delimiter (, ; tab ...) and line break.
    const guess = Papa.parse<string[]>(sample.slice(0, SNIFF_CHARS), { preview: 50 });
    newline = guess.meta.linebreak || '\n';
    parser = new Papa.Parser({ delimiter: guess.meta.delimiter || ',', newline: newline as '\n' | '\r\n' | '\r' });
  };

  try {
    let first = true;
    for await (let text of textPieces(input, pieceChars, progress)) {
      if (opts.signal?.aborted) return { status: 'aborted', ...snapshot() };
      if (first) {
        // A string input may still carry the BOM the decoder removes from Blobs.
        if (text.startsWith(BOM)) text = text.slice(1);
        first = false;
      }
      if (!parser) {
        sniffBuffer += text;
        if (sniffBuffer.length < Math.min(SNIFF_CHARS, pieceChars)) continue;
        start(sniffBuffer);
        text = sniffBuffer;
        sniffBuffer = '';
      }
      const out = await parseText(text, false);
      if (out) return out;
    }
    if (opts.signal?.aborted) return { status: 'aborted', ...snapshot() };
    if (!parser) start(sniffBuffer);
    const out = await parseText(sniffBuffer, true);
    if (out) return out;
    if (!columns) {
      return { status: 'refused', message: 'The file is empty: no header row was found', missing: [...featureOrder], duplicates: [] };
    }
    await flush();
    return { status: 'done', columns, ...snapshot() };
  } catch (e) {
    // The caller's own failure (e.g. inference) is its to handle; only read errors become values.
    if (e instanceof CallbackError) throw e.cause;
    return { status: 'failed', message: `The file could not be read: ${e instanceof Error ? e.message : String(e)}`, ...snapshot() };
  }
}

// ---------------------------------------------------------------------------------------
// Writing results

export type ResultModel = Pick<ModelEntry, 'id' | 'version' | 'threshold' | 'class_labels'>;

export const resultColumns = ['probability', 'class', 'model', 'model_version'] as const;

/**
 * Probability as the shortest decimal that reads back to the same float32 (the model's
 * output type): 0.03 rather than 0.029999999329447746.
 */
export function formatProbability(p: number): string {
  const f = Math.fround(p);
  if (f !== p || !Number.isFinite(p)) return String(p);
  // Binary search over significant digits; 9 always reads back for a float32.
  let lo = 1;
  let hi = 9;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (Math.fround(Number(p.toPrecision(mid))) === f) hi = mid;
    else lo = mid + 1;
  }
  return String(Number(p.toPrecision(hi)));
}

// Papa.unparse quotes a cell holding a delimiter, quote, line break or BOM, or with a
// leading/trailing space; a row with none of these is written as-is (same output, faster).
const NEEDS_QUOTES = /[",\r\n\ufeff]|^ | $/;

export interface ResultWriter {
  /** Output column names: the input header as read, then the added result columns. */
  columns: string[];
  /** The header line, ending in CRLF. */
  header(): string;
  /** Lines for these rows, each ending in CRLF; p1 NaN (a rejected row) leaves result cells empty. */
  rows(cells: readonly (readonly string[])[], p1: ArrayLike<number>): string;
}

/**
 * Writes the download in parts: `new Blob([w.header(), ...parts])` where each part is
 * `w.rows(batch.cells, p1)`, so no single huge string is ever built. Quoting by Papa.unparse.
 */
export function createResultWriter(header: readonly string[], model: ResultModel): ResultWriter {
  const taken = new Set(header.map(norm));
  // A re-uploaded result file already has these names: add a suffix rather than duplicate.
  const added = resultColumns.map((c) => {
    let name: string = c;
    for (let k = 2; taken.has(norm(name)); k++) name = `${c}_${k}`;
    taken.add(norm(name));
    return name;
  });
  const columns = [...header, ...added];
  const cfg = { newline: '\r\n' };
  return {
    columns,
    header: () => Papa.unparse([columns], cfg) + '\r\n',
    rows(cells, p1) {
      if (cells.length !== p1.length) throw new Error(`rows(): ${cells.length} rows but ${p1.length} probabilities`);
      if (cells.length === 0) return '';
      let out = '';
      for (let i = 0; i < cells.length; i++) {
        const p = p1[i]!;
        const scored = !Number.isNaN(p);
        const row = [
          ...cells[i]!,
          scored ? formatProbability(p) : '',
          scored ? model.class_labels[isPositive(p, model.threshold) ? 1 : 0] : '',
          model.id,
          model.version,
        ];
        out += (row.some((c) => NEEDS_QUOTES.test(c)) ? Papa.unparse([row], cfg) : row.join(',')) + '\r\n';
      }
      return out;
    },
  };
}
