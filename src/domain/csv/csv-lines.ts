import Papa from 'papaparse';
import type { RejectedRow } from './stream';

/** Text sniffed for the delimiter and line break before parsing starts. */
export const SNIFF_CHARS = 64 * 1024;

export function countOf(s: string, sub: string, from = 0, to = s.length): number {
  let n = 0;
  for (let i = s.indexOf(sub, from); i !== -1 && i < to; i = s.indexOf(sub, i + sub.length)) n++;
  return n;
}

/** Rows parsed from a piece of text, each with its physical start line and any quote problem. */
export interface ParsedRows {
  rows: string[][];
  /** Row index -> what is wrong with its quotes. */
  rowErrors: Map<number, string>;
  startLines: number[];
}

/**
 * The file's text cut into rows: PapaParse's parser fed piece by piece, keeping the incomplete
 * tail for the next piece and counting physical lines (a quoted field with line breaks
 * advances them, counted as the file's own line-break sequence). Also skips a line too long
 * to be a row, to its line break.
 */
export class CsvLines {
  private parser: Papa.Parser | null = null;
  newline = '\n';
  delimiter = ',';
  /** Text not yet parsed: an incomplete row. */
  partial = '';
  /** Physical lines fully consumed so far. */
  line = 0;
  /** A line longer than the limit with no quote, being skipped to its line break. */
  skipping: { line: number; chars: number } | null = null;
  private heldCr = '';

  get started(): boolean {
    return this.parser !== null;
  }

  /** PapaParse's own detection on a sample: delimiter (, ; tab ...) and line break. */
  start(sample: string): void {
    const guess = Papa.parse<string[]>(sample.slice(0, SNIFF_CHARS), { preview: 50 });
    this.newline = guess.meta.linebreak || '\n';
    this.delimiter = guess.meta.delimiter || ',';
    this.parser = new Papa.Parser({ delimiter: this.delimiter, newline: this.newline as '\n' | '\r\n' | '\r' });
  }

  /** Parse everything complete in partial + text; the incomplete tail waits for more text. */
  parse(text: string, final: boolean): ParsedRows | null {
    const agg = this.partial + text;
    if (agg === '') return null;
    const res = this.parser!.parse(agg, 0, !final) as Papa.ParseResult<string[]>;
    const rows = res.data;
    const consumed = final ? agg.length : res.meta.cursor;
    this.partial = final ? '' : agg.substring(consumed);
    const rowErrors = new Map<number, string>();
    for (const e of res.errors) {
      if (e.type === 'Quotes' && e.row !== undefined && !rowErrors.has(e.row)) {
        rowErrors.set(
          e.row,
          e.code === 'MissingQuotes' ? 'a quoted field is never closed' : 'a quoted field is malformed (text after the closing quote)',
        );
      }
    }
    // Row start lines. Every row but the last of the file ends with one line break; if the
    // consumed text has more breaks than that, some quoted cells hold line breaks.
    const terminated = final ? rows.length - 1 : rows.length;
    const breaks = countOf(agg, this.newline, 0, consumed);
    const startLines = new Array<number>(rows.length);
    if (breaks === terminated) {
      for (let r = 0; r < rows.length; r++) startLines[r] = this.line + 1 + r;
    } else {
      let l = this.line;
      for (let r = 0; r < rows.length; r++) {
        startLines[r] = l + 1;
        let inCells = 0;
        for (const c of rows[r]!) if (c.length > 0) inCells += countOf(c, this.newline);
        l += 1 + inCells;
      }
    }
    this.line += breaks;
    return { rows, rowErrors, startLines };
  }

  /** The incomplete tail is one long line (no quote in it): skip it to its line break. */
  startSkip(): void {
    this.skipping = { line: this.line + 1, chars: this.partial.length };
    this.partial = '';
  }

  /** The text after the skipped line's break, or null while the line goes on. */
  skip(piece: string, onEnd: (row: RejectedRow) => void, maxRowChars: number): string | null {
    // A \r\n split across two pieces: the \r waits for the next piece.
    const text = this.heldCr + piece;
    this.heldCr = '';
    const nl = text.indexOf(this.newline);
    if (nl === -1) {
      if (this.newline.length === 2 && text.endsWith(this.newline[0]!)) this.heldCr = this.newline[0]!;
      this.skipping!.chars += text.length - this.heldCr.length;
      return null;
    }
    this.skipping!.chars += nl;
    onEnd(this.endSkip(maxRowChars));
    return text.slice(nl + this.newline.length);
  }

  /** The skipped line, measured, as a rejected row. */
  endSkip(maxRowChars: number): RejectedRow {
    const sk = this.skipping!;
    this.skipping = null;
    this.line += 1;
    const message = `Line ${sk.line} is ${sk.chars.toLocaleString('en-US')} characters long with no line break; the limit is ${maxRowChars.toLocaleString('en-US')}, so it was skipped`;
    return { line: sk.line, errors: [{ line: sk.line, column: '', value: '', message }], cells: [] };
  }
}
