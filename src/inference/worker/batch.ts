import type { ColumnMap } from '@/domain/csv/columns';
import type { CsvBatch, CsvReading, StreamResult } from '@/domain/csv/stream';
import { createResultWriter, type ResultWriter } from '@/domain/csv/write';
import { getDomain } from '@/domain/domains';
import { Growable } from '@/domain/growable';
import type { ModelEntry } from '@/domain/manifest';
import { evaluate } from '@/domain/metrics';
import { unreadInputs } from '@/domain/unread-inputs';
import { CELLS_KEPT, COLUMNS_SHOWN, type BatchProgress, type FileReading, type FromWorker } from '@/inference/protocol';
import type { Engine } from './engine';
import { streamFile } from './file-rows';
import type { BatchScorer } from './scorers';
import { pickHelper, RejectedSent, yieldToHelpers } from './worker-job';

export interface BatchOptions {
  id: number;
  chunkRows?: number | undefined;
  /** Number format and units of the file (default: format from the delimiter, model units). */
  reading?: FileReading | undefined;
  post: (msg: FromWorker, transfer?: Transferable[]) => void;
  signal: AbortSignal;
  /** Other workers that score chunks while this one parses (see scorers.ts); none: all here. */
  helpers?: readonly BatchScorer[];
}

/** A parsed chunk and its scores to come (from this worker or from a helper). */
interface Queued {
  b: CsvBatch;
  p1: Promise<Float32Array>;
  settled: boolean;
}

/** Rows per chunk: small enough that the workers finish close together, large enough to keep messages few. */
const CHUNK_ROWS = 4096;

/** Chunks parsed but not yet reported, at most: bounds memory while a helper is slow. */
const MAX_QUEUED = 8;

/** The cells the page shows: the first COLUMNS_SHOWN of each row. */
function shownCells(rows: string[][]): string[][] {
  return rows.some((r) => r.length > COLUMNS_SHOWN) ? rows.map((r) => r.slice(0, COLUMNS_SHOWN)) : rows;
}

/** What a scored batch keeps in its worker for its download: the file is read again then. */
export interface ScoredBatch {
  file: Blob;
  model: ModelEntry;
  /** P(class 1) of every valid row read (a prefix of the file after Cancel). */
  p1: Float32Array;
  /** As asked when scored: the download reads the file the same way. */
  asked?: FileReading | undefined;
}

/** What a run reports to the page, and keeps for its end: scores, labels, times, rows listed. */
class BatchReport {
  readonly p1All = new Growable<Float32Array<ArrayBufferLike>>(new Float32Array(1 << 16));
  readonly truthAll = new Growable<Int8Array<ArrayBufferLike>>(new Int8Array(1 << 16));
  hasLabel = false;
  readonly progress: BatchProgress;
  /** This worker's session.run time, its wait for helpers' scores, and the rows helpers scored. */
  scoreMs = 0;
  waitMs = 0;
  helperRows = 0;
  private readonly t0 = performance.now();
  private readonly rejected = new RejectedSent();
  private cellsSent = 0;

  constructor(
    private readonly id: number,
    private readonly post: BatchOptions['post'],
    totalBytes: number,
  ) {
    this.progress = {
      rowsRead: 0,
      rowsScored: 0,
      rowsRejected: 0,
      bytesRead: 0,
      totalBytes,
      elapsedMs: 0,
      parseMs: 0,
      scoreMs: 0,
      waitMs: 0,
      helperRows: 0,
    };
  }

  /** The progress's time split, as of now. */
  stampTimes(): void {
    const elapsedMs = performance.now() - this.t0;
    const { scoreMs, waitMs, helperRows } = this;
    Object.assign(this.progress, { elapsedMs, scoreMs, waitMs, parseMs: elapsedMs - scoreMs - waitMs, helperRows });
  }

  /** The file's columns are known: the page shows the first ones and how the file is read. */
  header(columns: ColumnMap, reading: CsvReading): void {
    this.hasLabel = columns.label !== null;
    this.post({
      type: 'batch-header',
      id: this.id,
      columns: columns.header.slice(0, COLUMNS_SHOWN),
      columnCount: columns.header.length,
      hasLabel: this.hasLabel,
      reading,
    });
  }

  /** The run's end, then its evaluation when the file has labels and was read to its end. */
  end(result: Exclude<StreamResult, { status: 'refused' }>, threshold: number): void {
    this.stampTimes();
    const { p1All, truthAll, progress, id } = this;
    const evaluating = this.hasLabel && result.status === 'done' && p1All.length > 0;
    this.post({
      type: 'batch-done',
      id,
      status: result.status === 'done' ? 'done' : result.status === 'aborted' ? 'cancelled' : 'failed',
      message: result.status === 'failed' ? result.message : null,
      progress,
      evaluating,
    });
    if (evaluating) this.post({ type: 'batch-evaluation', id, evaluation: evaluate(truthAll.view(), p1All.view(), threshold) });
  }

  /** Report one scored chunk to the page; chunks are reported in file order. */
  chunk(b: CsvBatch, p1: Float32Array): void {
    const { progress } = this;
    this.p1All.pushAll(p1);
    if (this.hasLabel) this.truthAll.pushAll(b.labels);
    const rejected = this.rejected.take(b.rejected);
    const keep = Math.max(0, Math.min(b.rows, CELLS_KEPT - this.cellsSent));
    this.cellsSent += keep;
    Object.assign(progress, {
      rowsRead: b.progress.rowsRead,
      rowsScored: b.progress.rowsValid,
      rowsRejected: b.progress.rowsRejected,
      bytesRead: b.progress.bytesRead,
      totalBytes: b.progress.totalBytes,
    });
    this.stampTimes();
    const p1Copy = p1.slice();
    this.post(
      {
        type: 'batch-chunk',
        id: this.id,
        lines: b.lines,
        p1: p1Copy,
        truth: b.labels,
        cellsJson: keep > 0 ? JSON.stringify(shownCells(keep < b.rows ? b.cells.slice(0, keep) : b.cells)) : null,
        rejected,
        progress: { ...progress },
      },
      [p1Copy.buffer, b.lines.buffer, b.labels.buffer],
    );
  }
}

/**
 * Stream-parse a CSV or Parquet file and score it chunk by chunk in this worker. The parser waits
 * while a chunk is scored, so memory stays bounded by the chunk size plus the results.
 * Returns what the download needs, or null when the file was refused.
 */
export async function runBatch(engine: Engine, model: ModelEntry, file: Blob, opts: BatchOptions): Promise<ScoredBatch | null> {
  const { id, post } = opts;
  const rep = new BatchReport(id, post, file.size);
  const helpers = opts.helpers ?? [];

  /** Scored here, on this thread: parsing waits meanwhile. */
  const scoreHere = async (b: CsvBatch): Promise<Float32Array> => {
    if (b.rows === 0) return new Float32Array(0);
    const ts = performance.now();
    const p1 = (await engine.runMatrix(model, b.features, b.rows)).p1;
    rep.scoreMs += performance.now() - ts;
    return p1;
  };

  // Chunks in file order, each with its scores to come (from here or from a helper).
  const queue: Queued[] = [];
  const drain = async (all: boolean) => {
    while (queue.length > 0 && (all || queue[0]!.settled || queue.length > MAX_QUEUED)) {
      const head = queue.shift()!;
      const tw = performance.now();
      const p1 = await head.p1;
      rep.waitMs += performance.now() - tw;
      rep.chunk(head.b, p1);
    }
  };

  const domain = getDomain(model.domain);
  const result = await streamFile(file, domain, {
    featureOrder: model.features.map((f) => f.name),
    optional: unreadInputs(domain, model),
    chunkRows: opts.chunkRows ?? CHUNK_ROWS,
    ...opts.reading,
    signal: opts.signal,
    onHeader: (columns, reading) => rep.header(columns, reading),
    onBatch: async (b) => {
      const helper = b.rows > 0 ? pickHelper(helpers) : undefined;
      const item: Queued = { b, settled: false, p1: Promise.resolve(new Float32Array(0)) };
      // A helper that fails hands the chunk back: it is scored here instead.
      const scored = helper
        ? helper.score(model.id, b.features, b.rows).then(
            (p1) => ((rep.helperRows += b.rows), p1),
            () => scoreHere(b),
          )
        : scoreHere(b);
      item.p1 = scored.finally(() => (item.settled = true));
      // Scored here: parsing waits for it. Given to a helper: parsing goes on meanwhile.
      if (!helper) await item.p1;
      queue.push(item);
      await drain(false);
      await yieldToHelpers(helpers);
    },
  });
  // What is still in flight is reported too (also after Cancel: those rows were read and scored).
  await drain(true);

  if (result.status === 'refused') {
    post({ type: 'batch-refused', id, message: result.message, missing: result.missing });
    return null;
  }
  rep.end(result, model.threshold);
  // Kept for the download, which is written only when asked for (most runs never need it).
  return { file, model, p1: rep.p1All.view(), asked: opts.reading };
}

/**
 * The scored batches a worker keeps for their downloads, by batch id: the newest `max` only
 * (each holds a float per row), and none the page has released.
 */
export class FinishedBatches {
  private kept = new Map<number, ScoredBatch>();

  constructor(private readonly max = 1) {}

  keep(id: number, s: ScoredBatch): void {
    this.kept.delete(id);
    this.kept.set(id, s);
    // A Map iterates in insertion order: the first key is the oldest.
    while (this.kept.size > this.max) this.kept.delete(this.kept.keys().next().value!);
  }

  release(id: number): void {
    this.kept.delete(id);
  }

  /** `threshold`: the one the user chose, for the class column (the model's own otherwise). */
  download(id: number, threshold?: number): Promise<Blob> {
    const s = this.kept.get(id);
    if (!s) return Promise.reject(new Error('This batch is no longer in memory: load the file again to download its results'));
    return writeDownload(threshold === undefined ? s : { ...s, model: { ...s.model, threshold } });
  }
}

/**
 * The download: the file is read again and every valid row written with its input columns
 * and the probability scored before (same parser, same rows, same order). Output goes into
 * Blob parts, which the browser keeps outside the JS heap.
 */
export async function writeDownload(s: ScoredBatch): Promise<Blob> {
  let writer: ResultWriter | null = null;
  const parts: Blob[] = [];
  let offset = 0;
  const ac = new AbortController();
  const domain = getDomain(s.model.domain);
  const result = await streamFile(s.file, domain, {
    featureOrder: s.model.features.map((f) => f.name),
    optional: unreadInputs(domain, s.model),
    ...s.asked,
    signal: ac.signal,
    onHeader: (columns, reading: CsvReading) => {
      writer = createResultWriter(columns.header, s.model, reading);
      parts.push(new Blob([writer.header()]));
    },
    onBatch: (b) => {
      // A cancelled batch scored only a prefix of the file: stop where it stopped.
      const n = Math.min(b.rows, s.p1.length - offset);
      parts.push(new Blob([writer!.rows(b.cells.slice(0, n), s.p1.subarray(offset, offset + n))]));
      offset += n;
      if (offset >= s.p1.length) ac.abort();
    },
  });
  if (result.status === 'refused' || result.status === 'failed' || offset !== s.p1.length) {
    throw new Error('The file changed since it was scored: load it again to download its results');
  }
  return new Blob(parts, { type: 'text/csv' });
}
