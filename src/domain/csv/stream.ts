import { BOM, resolveColumns, type ColumnMap } from '@/domain/csv/columns';
import { isBlankRow, RowChecker, type CellError } from '@/domain/csv/rows';
import type { DomainSpec } from '@/domain/domains';
import { errorMessage } from '@/domain/errors';
import type { NumberFormat } from '@/domain/number-format';
import { BatchBuilder } from './batch-builder';
import { countOf, CsvLines, SNIFF_CHARS, type ParsedRows } from './csv-lines';
import { inputColumns, typeProblems, type ColumnType, type RowSource } from './row-source';
import { FileProblem, stringPieces, TextDecodeProblem, type TextSource } from './text-source';

/**
 * Streaming CSV parse (PapaParse's parser fed piece by piece) into batches of checked rows.
 * Reads no file itself: a Blob's text comes from inference/worker/blob-text.ts, so this stays pure.
 * Rows already cut into typed cells (Parquet) take the same path after the parser: streamRows.
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
  /**
   * 'delimiter': chosen automatically (a `;` file is read with decimal commas); 'setting': as
   * asked; 'typed': the file's columns are typed (Parquet), so its numbers are not text to read.
   */
  formatFrom: 'delimiter' | 'setting' | 'typed';
  units: { field: string; column: string; unit: string; from: 'header' | 'chosen' }[];
  /** The text encoding when it is not UTF-8, as the source decided it. */
  encoding?: string;
  /** Inputs the model takes but does not read that the file lacks (scored without them), when there are any. */
  absent?: string[];
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
  /** Inputs the model takes but does not read -> the value filling them when the file lacks the column. */
  optional?: ReadonlyMap<string, number>;
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
  /** `types`: each column's type, for a typed file (Parquet); a throw here ends the read and is rethrown. */
  onHeader?: (columns: ColumnMap, reading: CsvReading, types?: readonly ColumnType[]) => void | Promise<void>;
  /** Parsing waits while a returned promise is pending: that is the pause (backpressure). */
  onBatch: (batch: CsvBatch) => void | Promise<void>;
}

/** Resolves with a value for every outcome of the file itself; rethrows what onHeader / onBatch throw. */
export type StreamResult =
  | ({ status: 'done'; columns: ColumnMap } & CsvProgress)
  | ({ status: 'aborted' } & CsvProgress)
  | { status: 'refused'; message: string; missing: string[]; duplicates: { field: string; columns: string[] }[] }
  | ({ status: 'failed'; message: string } & CsvProgress);

export { FileProblem, stringPieces, TextDecodeProblem, type ReadProgress, type TextSource } from './text-source';

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
  return new CsvStream(domain, opts).run(typeof input === 'string' ? stringPieces(input) : input);
}

/**
 * Stream a typed table (a Parquet file's row groups) through the same columns, checks and
 * batches as a CSV file. Its data rows are numbered as the lines of the same table in CSV
 * (the header is line 1), so messages and results match a CSV copy. A column whose type
 * cannot hold what it should (a metric stored as text) refuses the file, naming it.
 */
export async function streamRows(source: RowSource, domain: DomainSpec, opts: StreamOptions): Promise<StreamResult> {
  return new CsvStream(domain, opts).runRows(source);
}

/** A result that ends the file early, or null to go on. */
type Outcome = StreamResult | null;

/** One file being streamed: its lines, its columns once the header is read, the batch being filled. */
class CsvStream {
  private readonly featureOrder: readonly string[];
  private readonly chunkRows: number;
  private readonly pieceChars: number;
  private readonly maxRowChars: number;
  private readonly progress: CsvProgress = { rowsRead: 0, rowsValid: 0, rowsRejected: 0, bytesRead: 0, totalBytes: 0 };
  private readonly lines = new CsvLines();
  private columns: ColumnMap | null = null;
  private checker: RowChecker | null = null;
  private batch: BatchBuilder | null = null;
  private sniffBuffer = '';

  constructor(
    private readonly domain: DomainSpec,
    private readonly opts: StreamOptions,
  ) {
    this.featureOrder = opts.featureOrder ?? domain.fields.map((f) => f.name);
    this.chunkRows = Math.max(1, opts.chunkRows ?? 8192);
    this.pieceChars = Math.max(1024, opts.pieceChars ?? 256 * 1024);
    this.maxRowChars = opts.maxRowChars ?? 1024 * 1024;
  }

  private snapshot(): CsvProgress {
    return { ...this.progress };
  }

  async run(source: TextSource): Promise<StreamResult> {
    const { opts, lines } = this;
    try {
      let first = true;
      for await (let text of source(this.pieceChars, this.progress)) {
        if (opts.signal?.aborted) return { status: 'aborted', ...this.snapshot() };
        if (first) {
          // A string input may still carry the BOM a decoder removes from Blobs.
          if (text.startsWith(BOM)) text = text.slice(1);
          first = false;
        }
        if (!lines.started) {
          this.sniffBuffer += text;
          if (this.sniffBuffer.length < Math.min(SNIFF_CHARS, this.pieceChars)) continue;
          lines.start(this.sniffBuffer);
          text = this.sniffBuffer;
          this.sniffBuffer = '';
        }
        if (lines.skipping) {
          const rest = lines.skip(text, (row) => this.batch!.reject(row), this.maxRowChars);
          if (rest === null) continue;
          text = rest;
        }
        const out = await this.parseText(text, false);
        if (out) return out;
      }
      if (opts.signal?.aborted) return { status: 'aborted', ...this.snapshot() };
      if (lines.skipping) this.batch!.reject(lines.endSkip(this.maxRowChars));
      if (!lines.started) lines.start(this.sniffBuffer);
      const out = await this.parseText(this.sniffBuffer, true);
      if (out) return out;
      if (!this.columns) {
        return { status: 'refused', message: 'The file is empty: no header row was found', missing: [...this.featureOrder], duplicates: [] };
      }
      await this.flush();
      return { status: 'done', columns: this.columns, ...this.snapshot() };
    } catch (e) {
      return this.readFailure(e);
    }
  }

  async runRows(source: RowSource): Promise<StreamResult> {
    const aborted = (): StreamResult => ({ status: 'aborted', ...this.snapshot() });
    try {
      const table = await source(this.progress);
      if (this.opts.signal?.aborted) return aborted();
      const refused = await this.header(table.header, table.types);
      if (refused) return refused;
      let line = 1;
      for await (const rows of table.pieces) {
        if (this.opts.signal?.aborted) return aborted();
        const startLines = rows.map(() => ++line);
        const out = await this.handleRows({ rows, rowErrors: new Map(), startLines });
        if (out) return out;
      }
      if (this.opts.signal?.aborted) return aborted();
      await this.flush();
      return { status: 'done', columns: this.columns!, ...this.snapshot() };
    } catch (e) {
      return this.readFailure(e);
    }
  }

  /** The caller's own failure (e.g. inference) is its to handle; only read errors become values. */
  private async readFailure(e: unknown): Promise<StreamResult> {
    if (e instanceof CallbackError) throw e.cause;
    if (e instanceof FileProblem) {
      // Rows read before the damage are results too, as after a bad byte in a CSV file.
      await this.flush().catch((f: unknown) => Promise.reject(f instanceof CallbackError ? f.cause : f));
      return { status: 'failed', message: e.message, ...this.snapshot() };
    }
    if (e instanceof TextDecodeProblem) {
      const at = this.lines.line + 1 + countOf(this.lines.partial + this.sniffBuffer, this.lines.newline);
      try {
        await this.flush();
      } catch (f) {
        throw f instanceof CallbackError ? f.cause : f;
      }
      const n = this.progress.rowsRead;
      const kept = n > 0 ? ` The ${n.toLocaleString('en-US')} rows before it were read.` : '';
      return { status: 'failed', message: `Line ${at}: ${e.what}.${kept}`, ...this.snapshot() };
    }
    return { status: 'failed', message: `The file could not be read: ${errorMessage(e)}`, ...this.snapshot() };
  }

  private async flush(): Promise<void> {
    const b = this.batch?.take(this.progress);
    if (b) await callback(() => this.opts.onBatch(b));
  }

  /** Parse and handle the rows complete in the text; a row past maxRowChars is skipped or ends the file. */
  private async parseText(text: string, final: boolean): Promise<Outcome> {
    const { lines, maxRowChars } = this;
    const parsed = lines.parse(text, final);
    if (!parsed) return null;
    const out = await this.handleRows(parsed);
    if (out || lines.partial.length <= maxRowChars) return out;
    // A row longer than the limit. With no quote in it, it is one long line: measured to its
    // line break, listed as a rejected row, and the rows after it are read.
    if (this.columns && !lines.partial.includes('"')) {
      lines.startSkip();
      return null;
    }
    // Inside a quote, the rest of the file would become one growing string: stop here.
    await this.flush();
    const n = countOf(lines.partial, lines.newline) + 1;
    const what = lines.partial.includes('"')
      ? `, across ${n.toLocaleString('en-US')} line${n > 1 ? 's' : ''}, inside a quoted field (") that is still open`
      : ' with no line break (in the header row)';
    return {
      status: 'failed',
      message: `Line ${lines.line + 1}: a row runs on for more than ${maxRowChars.toLocaleString('en-US')} characters${what}`,
      ...this.snapshot(),
    };
  }

  private async handleRows({ rows, rowErrors, startLines }: ParsedRows): Promise<Outcome> {
    for (let r = 0; r < rows.length; r++) {
      const cells = rows[r]!;
      if (isBlankRow(cells)) continue;
      if (!this.columns) {
        const refused = await this.header(cells);
        if (refused) return refused;
        continue;
      }
      this.row(cells, startLines[r]!, rowErrors.get(r));
      if (this.batch!.full) {
        await this.flush();
        if (this.opts.signal?.aborted) return { status: 'aborted', ...this.snapshot() };
      }
    }
    return null;
  }

  /** The header row: columns resolved (or the file refused), the reading decided and reported. */
  private async header(cells: string[], types?: readonly ColumnType[]): Promise<Outcome> {
    const { opts } = this;
    const res = resolveColumns(cells, this.domain, this.featureOrder, opts.optional);
    if (!res.ok) return { status: 'refused', message: res.message, missing: res.missing, duplicates: res.duplicates };
    const wrongType = types ? typeProblems(inputColumns(res.columns), types) : null;
    if (wrongType) return { status: 'refused', message: wrongType, missing: [], duplicates: [] };
    const cols = (this.columns = res.columns);
    // A typed file's numbers are written by us, with a decimal point; its download is a CSV with commas.
    const { format, from } = types ? { format: 'point' as const, from: 'typed' as const } : decideFormat(opts.numberFormat, this.lines.delimiter);
    const ck = (this.checker = new RowChecker(cols, { format, units: opts.units ?? {} }));
    this.batch = new BatchBuilder(ck.nFeatures, this.chunkRows, opts.float64 === true);
    const reading: CsvReading = {
      delimiter: types ? ',' : this.lines.delimiter,
      format,
      formatFrom: from,
      ...(this.progress.encoding ? { encoding: this.progress.encoding } : {}),
      ...(cols.absent.length > 0 ? { absent: cols.absent } : {}),
      units: cols.features.flatMap((fc, i) =>
        fc.index < 0
          ? []
          : [
              {
                field: fc.field.name,
                column: fc.name,
                unit: ck.units[i]!.label,
                from: fc.headerUnit ? ('header' as const) : ('chosen' as const),
              },
            ],
      ),
    };
    await callback(() => opts.onHeader?.(cols, reading, types));
    return null;
  }

  /** A data row: checked (fields, then the caller's extra check), then accepted or rejected. */
  private row(cells: string[], at: number, quoteProblem: string | undefined): void {
    const ck = this.checker!;
    const extra = this.opts.extraCheck;
    let errors = quoteProblem ? [{ line: at, column: '', value: '', message: `Line ${at}: ${quoteProblem}` }] : ck.check(cells, at);
    if (!quoteProblem && extra && cells.length === ck.width) {
      const more = extra(cells, at);
      if (more) errors = errors ? [...errors, ...more] : more;
    }
    if (errors) this.batch!.reject({ line: at, errors, cells });
    else this.batch!.accept(ck.values, ck.label, at, cells);
  }
}
