import type { CsvBatch, CsvProgress, RejectedRow } from './stream';

/** One batch being filled: typed arrays of `chunkRows` rows, handed over whole when full. */
interface Filling {
  rows: number;
  features: Float32Array;
  values64: Float64Array | undefined;
  labels: Int8Array;
  lines: Int32Array;
  cells: string[][];
  rejected: RejectedRow[];
}

/** Gathers checked rows into CsvBatches of `chunkRows` rows (accepted + rejected) and counts them. */
export class BatchBuilder {
  private b: Filling;

  constructor(
    readonly nFeatures: number,
    private readonly chunkRows: number,
    private readonly float64: boolean,
  ) {
    this.b = this.empty();
  }

  private empty(): Filling {
    const { chunkRows, nFeatures: nF } = this;
    return {
      rows: 0,
      features: new Float32Array(chunkRows * nF),
      values64: this.float64 ? new Float64Array(chunkRows * nF) : undefined,
      labels: new Int8Array(chunkRows),
      lines: new Int32Array(chunkRows),
      cells: [],
      rejected: [],
    };
  }

  /** An accepted row: its values in feature order, its label and physical line. */
  accept(values: ArrayLike<number>, label: number, line: number, cells: string[]): void {
    const b = this.b;
    const off = b.rows * this.nFeatures;
    for (let i = 0; i < this.nFeatures; i++) b.features[off + i] = values[i]!;
    b.values64?.set(values, off);
    b.labels[b.rows] = label;
    b.lines[b.rows] = line;
    b.cells.push(cells);
    b.rows++;
  }

  reject(row: RejectedRow): void {
    this.b.rejected.push(row);
  }

  get full(): boolean {
    return this.b.rows + this.b.rejected.length >= this.chunkRows;
  }

  /** The rows so far as a batch (counted into `progress`), or null when there are none. */
  take(progress: CsvProgress): CsvBatch | null {
    const b = this.b;
    if (b.rows + b.rejected.length === 0) return null;
    this.b = this.empty();
    const n = b.rows;
    const nF = this.nFeatures;
    progress.rowsValid += n;
    progress.rowsRejected += b.rejected.length;
    progress.rowsRead = progress.rowsValid + progress.rowsRejected;
    const full = n === this.chunkRows;
    return {
      rows: n,
      nFeatures: nF,
      // A partial batch gets its own exact-size buffers, so they can be transferred whole.
      features: full ? b.features : b.features.slice(0, n * nF),
      ...(b.values64 ? { values64: full ? b.values64 : b.values64.slice(0, n * nF) } : {}),
      labels: full ? b.labels : b.labels.slice(0, n),
      lines: full ? b.lines : b.lines.slice(0, n),
      cells: b.cells,
      rejected: b.rejected,
      progress: { ...progress },
    };
  }
}
