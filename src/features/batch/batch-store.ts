import type { BatchProgress, BatchRowError } from '@/inference/protocol';

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

/**
 * Scored rows as the worker sends them, chunk by chunk, without copying them into one big
 * array: a million rows cost their typed arrays (9 bytes a row) plus the cells kept.
 */
export class BatchRows {
  private chunks: Chunk[] = [];
  length = 0;
  errors: BatchRowError[] = [];

  add(c: ChunkIn, errors: BatchRowError[]): void {
    if (c.p1.length > 0) {
      this.chunks.push({ ...c, start: this.length });
      this.length += c.p1.length;
    }
    if (errors.length) this.errors = this.errors.concat(errors);
  }

  row(i: number): { line: number; p1: number; truth: number; cells: string[] | null } {
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

/** Rows per second and time left, from the worker's progress. */
export function rates(p: BatchProgress): { rowsPerSecond: number; secondsLeft: number | null } {
  const s = p.elapsedMs / 1000;
  const rowsPerSecond = s > 0 ? p.rowsRead / s : 0;
  const bytesPerSecond = s > 0 ? p.bytesRead / s : 0;
  const secondsLeft = bytesPerSecond > 0 && p.totalBytes > 0 ? Math.max(0, (p.totalBytes - p.bytesRead) / bytesPerSecond) : null;
  return { rowsPerSecond, secondsLeft };
}
