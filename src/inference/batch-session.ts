import type { CsvReading } from '@/domain/csv/stream';
import type { EvaluationReport } from '@/domain/metrics';
import { BatchRows } from './batch-rows';
import type { BatchMessage, BatchProgress } from './protocol';

/** What a batch run tells its reader, in this order: header, progress..., then refused, or done (then evaluation). */
export type BatchEvent =
  /** The file's header was read: its columns, and whether it has a label column. */
  | { type: 'header'; columns: string[]; columnCount: number; hasLabel: boolean; reading?: CsvReading }
  /** The file lacks required columns: nothing was scored. Last event. */
  | { type: 'refused'; message: string; missing: string[] }
  /** A chunk was scored and its rows added to `session.rows`. */
  | { type: 'progress'; progress: BatchProgress }
  /** The file was read to the end, cancelled, or broke off; the rows scored are downloadable. Last event unless `evaluating`. */
  | { type: 'done'; status: 'done' | 'cancelled' | 'failed'; message: string | null; progress: BatchProgress; evaluating: boolean }
  /** The metrics on the file's labels. Last event. */
  | { type: 'evaluation'; evaluation: EvaluationReport };

/**
 * One scored file: everything the page needs about it, in one object. Iterate it for its
 * events (once); an error of the worker ends the iteration by throwing.
 */
export interface BatchSession extends AsyncIterable<BatchEvent> {
  readonly file: Blob;
  readonly modelId: string;
  /** The scored rows, filled as chunks arrive (before their progress event is read). */
  readonly rows: BatchRows;
  /** Stop reading the file; the iteration goes on to a `done` event with status 'cancelled'. */
  cancel(): void;
  /** The CSV of the scored rows: input columns plus the results, written by the worker on request; classes at `threshold` when given. */
  download(threshold?: number): Promise<Blob>;
  /** The page is done with it: events stop, a run still going is stopped, the worker drops its results. */
  release(): void;
}

/** The client's side of a session: how it reaches the worker. */
export interface BatchLink {
  cancel(): void;
  download(threshold?: number): Promise<Blob>;
  /** Stop routing this batch's messages here; `release` also tells the worker to drop it. */
  detach(release: boolean): void;
}

type WireMessage = BatchMessage | { type: 'error'; id: number; message: string };

/**
 * A session fed by the client with its batch's wire messages (receive). Events queue until
 * read, so a slow reader loses none; chunks go into `rows` as they arrive.
 */
export class WorkerBatchSession implements BatchSession {
  readonly rows = new BatchRows();
  private queue: BatchEvent[] = [];
  private waiting: { resolve: (r: IteratorResult<BatchEvent>) => void; reject: (e: Error) => void } | null = null;
  private ended = false;
  private failure: Error | null = null;
  private released = false;
  private iterated = false;

  constructor(
    readonly file: Blob,
    readonly modelId: string,
    private readonly link: BatchLink,
  ) {}

  cancel(): void {
    if (!this.ended) this.link.cancel();
  }

  download(threshold?: number): Promise<Blob> {
    if (this.released) return Promise.reject(new Error('This batch is no longer in memory: load the file again to download its results'));
    return this.link.download(threshold);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.queue = [];
    this.link.detach(true);
    this.end(null);
  }

  /** Called by the client with each message of this batch. */
  receive(m: WireMessage): void {
    if (this.ended) return;
    switch (m.type) {
      case 'batch-header':
        return this.push({ type: 'header', columns: m.columns, columnCount: m.columnCount, hasLabel: m.hasLabel, ...(m.reading ? { reading: m.reading } : {}) });
      case 'batch-refused':
        this.push({ type: 'refused', message: m.message, missing: m.missing });
        return this.finish();
      case 'batch-chunk':
        this.rows.add({ lines: m.lines, p1: m.p1, truth: m.truth, cellsJson: m.cellsJson }, m.rejected);
        return this.push({ type: 'progress', progress: m.progress });
      case 'batch-done':
        this.push({ type: 'done', status: m.status, message: m.message, progress: m.progress, evaluating: m.evaluating });
        if (!m.evaluating) this.finish();
        return;
      case 'batch-evaluation':
        this.push({ type: 'evaluation', evaluation: m.evaluation });
        return this.finish();
      case 'error':
        this.link.detach(false);
        return this.end(new Error(m.message));
    }
  }

  /** The worker itself failed (or the client was disposed): the iteration throws this. */
  fail(e: Error): void {
    this.end(e);
  }

  [Symbol.asyncIterator](): AsyncIterator<BatchEvent> {
    if (this.iterated) throw new Error('A batch session is iterated once');
    this.iterated = true;
    return {
      next: () => {
        const ev = this.queue.shift();
        if (ev) return Promise.resolve({ value: ev, done: false });
        if (this.failure) return Promise.reject(this.failure);
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
      },
      // `break` in a for-await: the reader stops listening; the results stay downloadable.
      return: () => {
        this.queue = [];
        if (!this.ended) {
          this.link.detach(false);
          this.end(null);
        }
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  private push(ev: BatchEvent): void {
    const w = this.waiting;
    if (w) {
      this.waiting = null;
      w.resolve({ value: ev, done: false });
    } else {
      this.queue.push(ev);
    }
  }

  /** The last event has come: the client stops routing messages here. */
  private finish(): void {
    this.link.detach(false);
    this.end(null);
  }

  private end(failure: Error | null): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = failure;
    const w = this.waiting;
    this.waiting = null;
    if (!w) return;
    if (failure) w.reject(failure);
    else w.resolve({ value: undefined, done: true });
  }
}
