import { CELLS_KEPT, MAX_ERRORS_SENT, type BatchRowError } from './protocol';

interface ChunkIn {
  lines: Int32Array;
  p1: Float32Array;
  truth: Int8Array;
  /** JSON of string[][], as the worker sends it (protocol.ts); parsed on first use. */
  cellsJson: string | null;
}

interface Chunk extends ChunkIn {
  start: number;
  cells?: string[][] | null;
}

/** One scored row as the page shows it; `cells` is null past the rows whose input the page keeps. */
export interface BatchRow {
  line: number;
  p1: number;
  /** The file's label, -1 when it has none. */
  truth: number;
  cells: string[] | null;
}

/**
 * Scored rows as the worker sends them, chunk by chunk, without copying them into one big
 * array: a million rows cost their typed arrays (9 bytes a row) plus the cells kept.
 */
export class BatchRows {
  private chunks: Chunk[] = [];
  length = 0;
  errors: BatchRowError[] = [];
  /** Rows whose input cells the page keeps (the first ones); the download has every row. */
  readonly cellsKept = CELLS_KEPT;
  /** Row errors listed at most; the counts include every one. */
  readonly errorsKept = MAX_ERRORS_SENT;

  add(c: ChunkIn, errors: BatchRowError[]): void {
    if (c.p1.length > 0) {
      this.chunks.push({ ...c, start: this.length });
      this.length += c.p1.length;
    }
    if (errors.length) this.errors = this.errors.concat(errors);
  }

  row(i: number): BatchRow {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.chunks[mid]!.start <= i) lo = mid;
      else hi = mid - 1;
    }
    const c = this.chunks[lo]!;
    const k = i - c.start;
    c.cells ??= c.cellsJson === null ? null : (JSON.parse(c.cellsJson) as string[][]);
    return { line: c.lines[k]!, p1: c.p1[k]!, truth: c.truth[k] ?? -1, cells: c.cells?.[k] ?? null };
  }
}
