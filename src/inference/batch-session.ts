import type { CsvReading } from '@/domain/csv/stream';
import type { EvaluationReport } from '@/domain/metrics';
import { BatchRows } from './batch-rows';
import { JobChannel, type Job, type JobLink, type JobStatus, type RefusedEvent } from './job-channel';
import type { BatchMessage, BatchProgress } from './protocol';

/** What a batch run tells its reader, in this order: header, progress..., then refused, or done (then evaluation). */
export type BatchEvent =
  /** The file's header was read: its columns, and whether it has a label column. */
  | { type: 'header'; columns: string[]; columnCount: number; hasLabel: boolean; reading?: CsvReading }
  /** The file lacks required columns: nothing was scored. Last event. */
  | RefusedEvent
  /** A chunk was scored and its rows added to `session.rows`. */
  | { type: 'progress'; progress: BatchProgress }
  /** The file was read to the end, cancelled, or broke off; the rows scored are downloadable. Last event unless `evaluating`. */
  | { type: 'done'; status: JobStatus; message: string | null; progress: BatchProgress; evaluating: boolean }
  /** The metrics on the file's labels. Last event. */
  | { type: 'evaluation'; evaluation: EvaluationReport };

/**
 * One scored file: everything the page needs about it, in one object. Iterate it for its
 * events (once); an error of the worker ends the iteration by throwing.
 */
export interface BatchSession extends Job<BatchEvent> {
  /** The scored rows, filled as chunks arrive (before their progress event is read). */
  readonly rows: BatchRows;
  /** The CSV of the scored rows: input columns plus the results, written by the worker on request; classes at `threshold` when given. */
  download(threshold?: number): Promise<Blob>;
}

/** A batch's job channel: chunks go into `rows` as they arrive. */
export class WorkerBatchSession extends JobChannel<BatchEvent, BatchMessage> implements BatchSession {
  readonly rows = new BatchRows();

  constructor(
    file: Blob,
    modelId: string,
    link: JobLink,
    private readonly fetchDownload: (threshold?: number) => Promise<Blob>,
  ) {
    super(file, modelId, link, 'This batch is no longer in memory: load the file again to download its results');
  }

  download(threshold?: number): Promise<Blob> {
    if (this.released) return Promise.reject(new Error(this.goneMessage));
    return this.fetchDownload(threshold);
  }

  protected onMessage(m: BatchMessage): void {
    // Rows after the reader stopped are not kept: the download reads the worker's copy.
    if (this.ended) return;
    switch (m.type) {
      case 'batch-header':
        return this.push({
          type: 'header',
          columns: m.columns,
          columnCount: m.columnCount,
          hasLabel: m.hasLabel,
          ...(m.reading ? { reading: m.reading } : {}),
        });
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
    }
  }
}
