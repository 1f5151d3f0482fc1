import Papa from 'papaparse';
import { BOM, resolveColumns, type ColumnMap } from '@/domain/csv/columns';
import { isBlankRow, RowChecker, type CellError } from '@/domain/csv/rows';
import type { DomainSpec } from '@/domain/domains';
import { errorMessage } from '@/domain/errors';
import type { NumberFormat } from '@/domain/number-format';

/**
 * Streaming CSV parse (PapaParse's parser fed piece by piece) into batches of checked rows.
 * Reads no file itself: a Blob's text comes from inference/blob-text.ts, so this stays pure.
 */

export interface CsvProgress {
  /** Data rows delivered so far (blank lines are not rows): rowsValid + rowsRejected. */
  rowsRead: number;
  rowsValid: number;
  rowsRejected: number;
  /** Bytes of the input consumed (UTF-16 code units for string input). */
  bytesRead: number;
  totalBytes: number;
  /** Set by the text source when the file is not read as UTF-8 ("Windows-1252", "UTF-16 (little-endian)"). */
  encoding?: string;
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
  /** The same values in float64 (large counters are not exact in float32), when `float64` is asked for. */
  values64?: Float64Array;
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

/** How the file was read: delimiter, number format and each input's unit, for the summary and the download. */
export interface CsvReading {
  delimiter: string;
  format: NumberFormat;
  /** 'delimiter': chosen automatically (a `;` file is read with decimal commas); 'setting': as asked. */
  formatFrom: 'delimiter' | 'setting';
  units: { field: string; column: string; unit: string; from: 'header' | 'chosen' }[];
  /** The text encoding when it is not UTF-8, as the source decided it. */
  encoding?: string;
}

/** The format a file is read in: as asked, or from its delimiter (`;` goes with decimal commas). */
export function decideFormat(asked: NumberFormat | 'auto' | undefined, delimiter: string): { format: NumberFormat; from: CsvReading['formatFrom'] } {
  if (asked && asked !== 'auto') return { format: asked, from: 'setting' };
  return { format: delimiter === ';' ? 'comma' : 'point', from: 'delimiter' };
}

export interface StreamOptions {
  /** How numbers are written; 'auto' (the default) decides from the delimiter. */
  numberFormat?: NumberFormat | 'auto';
  /** Field name -> unit id for columns whose header names no unit; default: the model's unit. */
  units?: Readonly<Record<string, string>>;
  /** Model input names in the model's order (manifest features); default: all domain fields. */
  featureOrder?: readonly string[];
  /** Rows (valid + rejected) per batch; default 8192. */
  chunkRows?: number;
  /** Text handed to the parser at a time; default 256 Ki characters. */
  pieceChars?: number;
  /** A row longer than this is taken as an unclosed quote and stops the import; default 1 Mi. */
  maxRowChars?: number;
  signal?: AbortSignal;
  /** Also deliver the values in float64 (`values64`), for computations that need them exact. */
  float64?: boolean;
  /**
   * More checks on a row of the right width (e.g. a log's date and device columns), after the
   * fields': its errors are added to the row's, and any error rejects it.
   */
  extraCheck?: (cells: readonly string[], line: number) => CellError[] | null;
  onHeader?: (columns: ColumnMap, reading: CsvReading) => void | Promise<void>;
  /** Parsing waits while a returned promise is pending: that is the pause (backpressure). */
  onBatch: (batch: CsvBatch) => void | Promise<void>;
}

/** Resolves with a value for every outcome of the file itself; rethrows what onHeader / onBatch throw. */
export type StreamResult =
  | ({ status: 'done'; columns: ColumnMap } & CsvProgress)
  | ({ status: 'aborted' } & CsvProgress)
  | { status: 'refused'; message: string; missing: string[]; duplicates: { field: string; columns: string[] }[] }
  | ({ status: 'failed'; message: string } & CsvProgress);

/** What a text source reports while it is read: bytes consumed and the total. */
export type ReadProgress = Pick<CsvProgress, 'bytesRead' | 'totalBytes' | 'encoding'>;

/**
 * Thrown by a text source whose bytes stop being text: the text before the problem was
 * yielded first, so streamCsv names the line the problem is on.
 */
export class TextDecodeProblem extends Error {
  constructor(readonly what: string) {
    super(what);
  }
}

/**
 * Where the text comes from: decoded pieces of at most `pieceChars`, setting
 * `progress.totalBytes` when it starts and advancing `progress.bytesRead` as it goes.
 * A string is read by stringPieces; a Blob by blobText (inference/blob-text.ts).
 */
export type TextSource = (pieceChars: number, progress: ReadProgress) => AsyncIterable<string>;

/** A string in pieces; progress counts UTF-16 code units. */
export function stringPieces(input: string): TextSource {
  return async function* (pieceChars, progress) {
    progress.totalBytes = input.length;
    for (let i = 0; i < input.length; i += pieceChars) {
      const piece = input.slice(i, i + pieceChars);
      progress.bytesRead = Math.min(input.length, i + pieceChars);
      yield piece;
    }
  };
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
export async function streamCsv(input: TextSource | string, domain: DomainSpec, opts: StreamOptions): Promise<StreamResult> {
  const source = typeof input === 'string' ? stringPieces(input) : input;
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
    values64: opts.float64 ? new Float64Array(chunkRows * nF) : undefined,
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
      ...(b.values64 ? { values64: full ? b.values64 : b.values64.slice(0, n * nF) } : {}),
      labels: full ? b.labels : b.labels.slice(0, n),
      lines: full ? b.lines : b.lines.slice(0, n),
      cells: b.cells,
      rejected: b.rejected,
      progress: snapshot(),
    }));
  };

  let parser: Papa.Parser | null = null;
  let newline = '\n';
  let delimiter = ',';
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
        const { format, from } = decideFormat(opts.numberFormat, delimiter);
        checker = new RowChecker(columns, { format, units: opts.units ?? {} });
        batch = newBatch(checker.nFeatures);
        const cols = columns;
        const ck = checker;
        const reading: CsvReading = {
          delimiter,
          format,
          formatFrom: from,
          ...(progress.encoding ? { encoding: progress.encoding } : {}),
          units: cols.features.map((fc, i) => ({
            field: fc.field.name,
            column: fc.name,
            unit: ck.units[i]!.label,
            from: fc.headerUnit ? ('header' as const) : ('chosen' as const),
          })),
        };
        await callback(() => opts.onHeader?.(cols, reading));
        continue;
      }
      const b = batch!;
      const ck = checker!;
      const quoteProblem = rowErrors.get(r);
      let errors = quoteProblem
        ? [{ line: at, column: '', value: '', message: `Line ${at}: ${quoteProblem}` }]
        : ck.check(cells, at);
      if (!quoteProblem && opts.extraCheck && cells.length === ck.width) {
        const more = opts.extraCheck(cells, at);
        if (more) errors = errors ? [...errors, ...more] : more;
      }
      if (errors) b.rejected.push({ line: at, errors, cells });
      else {
        const off = b.rows * ck.nFeatures;
        for (let i = 0; i < ck.nFeatures; i++) b.features[off + i] = ck.values[i]!;
        if (b.values64) b.values64.set(ck.values, off);
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
    // A row longer than the limit. With no quote in it, it is one long line: measured to its
    // line break, listed as a rejected row, and the rows after it are read.
    if (columns && !partial.includes('"')) {
      skipping = { line: line + 1, chars: partial.length };
      partial = '';
      return null;
    }
    // Inside a quote, the rest of the file would become one growing string: stop here.
    await flush();
    const lines = countOf(partial, newline) + 1;
    const what = partial.includes('"')
      ? `, across ${lines.toLocaleString('en-US')} line${lines > 1 ? 's' : ''}, inside a quoted field (") that is still open`
      : ' with no line break (in the header row)';
    return {
      status: 'failed',
      message: `Line ${line + 1}: a row runs on for more than ${maxRowChars.toLocaleString('en-US')} characters${what}`,
      ...snapshot(),
    };
  };

  /** A line longer than maxRowChars with no quote: skipped to its line break, measured, listed. */
  let skipping: { line: number; chars: number } | null = null;
  const endSkip = () => {
    const sk = skipping!;
    skipping = null;
    line += 1;
    const message = `Line ${sk.line} is ${sk.chars.toLocaleString('en-US')} characters long with no line break; the limit is ${maxRowChars.toLocaleString('en-US')}, so it was skipped`;
    batch!.rejected.push({ line: sk.line, errors: [{ line: sk.line, column: '', value: '', message }], cells: [] });
  };
  /** The text after the skipped line's break, or null while the line goes on. */
  let heldCr = '';
  const skip = (piece: string): string | null => {
    // A \r\n split across two pieces: the \r waits for the next piece.
    const text = heldCr + piece;
    heldCr = '';
    const nl = text.indexOf(newline);
    if (nl === -1) {
      if (newline.length === 2 && text.endsWith(newline[0]!)) heldCr = newline[0]!;
      skipping!.chars += text.length - heldCr.length;
      return null;
    }
    skipping!.chars += nl;
    endSkip();
    return text.slice(nl + newline.length);
  };

  const start = (sample: string) => {
    // PapaParse's own detection on a sample: delimiter (, ; tab ...) and line break.
    const guess = Papa.parse<string[]>(sample.slice(0, SNIFF_CHARS), { preview: 50 });
    newline = guess.meta.linebreak || '\n';
    delimiter = guess.meta.delimiter || ',';
    parser = new Papa.Parser({ delimiter, newline: newline as '\n' | '\r\n' | '\r' });
  };

  try {
    let first = true;
    for await (let text of source(pieceChars, progress)) {
      if (opts.signal?.aborted) return { status: 'aborted', ...snapshot() };
      if (first) {
        // A string input may still carry the BOM a decoder removes from Blobs.
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
      if (skipping) {
        const rest = skip(text);
        if (rest === null) continue;
        text = rest;
      }
      const out = await parseText(text, false);
      if (out) return out;
    }
    if (opts.signal?.aborted) return { status: 'aborted', ...snapshot() };
    if (skipping) endSkip();
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
    if (e instanceof TextDecodeProblem) {
      const at = line + 1 + countOf(partial + sniffBuffer, newline);
      try {
        await flush();
      } catch (f) {
        throw f instanceof CallbackError ? f.cause : f;
      }
      const kept = progress.rowsRead > 0 ? ` The ${progress.rowsRead.toLocaleString('en-US')} rows before it were read.` : '';
      return { status: 'failed', message: `Line ${at}: ${e.what}.${kept}`, ...snapshot() };
    }
    return { status: 'failed', message: `The file could not be read: ${errorMessage(e)}`, ...snapshot() };
  }
}

