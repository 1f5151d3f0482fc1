import { JobChannel, type Job, type JobLink, type JobStatus, type RefusedEvent } from './job-channel';
import type { BatchRowError, FleetAnswers, FleetMessage, FleetProgress, FleetQuery, FleetSummary } from './protocol';

/** What a fleet run tells its reader: progress..., then refused, or done (with the summary when it finished). */
export type FleetEvent =
  | { type: 'progress'; progress: FleetProgress; rejected: BatchRowError[] }
  | RefusedEvent
  | { type: 'done'; status: JobStatus; message: string | null; summary: FleetSummary | null };

/**
 * A daily log read, scored and ranked in the worker. Iterate it (once) for its events; once it
 * is done, ask it questions (a day's list, a device's timeline, the evaluation, downloads): the
 * log stays in the worker until `release()`.
 */
export interface FleetSession extends Job<FleetEvent> {
  ask<K extends FleetQuery['kind']>(query: Extract<FleetQuery, { kind: K }>): Promise<FleetAnswers[K]>;
}

/** A fleet run's job channel, plus the questions asked of the log it keeps. */
export class WorkerFleetSession extends JobChannel<FleetEvent, FleetMessage> implements FleetSession {
  private nextQid = 1;
  private readonly asks = new Map<number, { resolve: (a: never) => void; reject: (e: Error) => void }>();

  constructor(
    file: Blob,
    modelId: string,
    link: JobLink,
    private readonly sendQuery: (qid: number, query: FleetQuery) => void,
  ) {
    super(file, modelId, link, 'This log is no longer in memory: load it again');
  }

  ask<K extends FleetQuery['kind']>(query: Extract<FleetQuery, { kind: K }>): Promise<FleetAnswers[K]> {
    if (this.released) return Promise.reject(new Error(this.goneMessage));
    if (this.failure) return Promise.reject(this.failure);
    const qid = this.nextQid++;
    return new Promise<FleetAnswers[K]>((resolve, reject) => {
      this.asks.set(qid, { resolve: resolve as (a: never) => void, reject });
      this.sendQuery(qid, query);
    });
  }

  protected onMessage(m: FleetMessage): void {
    switch (m.type) {
      case 'fleet-progress':
        return this.push({ type: 'progress', progress: m.progress, rejected: m.rejected });
      case 'fleet-refused':
        this.push({ type: 'refused', message: m.message, missing: m.missing });
        this.dropAsks();
        return this.finish();
      case 'fleet-done':
        this.push({ type: 'done', status: m.status, message: m.message, summary: m.summary });
        if (!m.summary) this.dropAsks();
        return this.finish();
      case 'fleet-answer':
        this.asks.get(m.qid)?.resolve(m.answer as never);
        this.asks.delete(m.qid);
        return;
      case 'fleet-query-error':
        this.asks.get(m.qid)?.reject(new Error(m.message));
        this.asks.delete(m.qid);
        return;
    }
  }

  /**
   * A run that ends without a log (refused, cancelled, failed) answers the questions asked while
   * it ran with an error: its own event already says why, so they are dropped, never settled.
   */
  private dropAsks(): void {
    this.asks.clear();
  }

  protected override onStop(e: Error): void {
    for (const a of this.asks.values()) a.reject(e);
    this.asks.clear();
  }
}
