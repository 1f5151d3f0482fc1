import type { BatchRowError, FleetAnswers, FleetMessage, FleetProgress, FleetQuery, FleetSummary } from './protocol';

/** What a fleet run tells its reader: progress..., then refused, or done (with the summary when it finished). */
export type FleetEvent =
  | { type: 'progress'; progress: FleetProgress; rejected: BatchRowError[] }
  | { type: 'refused'; message: string; missing: string[] }
  | { type: 'done'; status: 'done' | 'cancelled' | 'failed'; message: string | null; summary: FleetSummary | null };

/**
 * A daily log read, scored and ranked in the worker. Iterate it (once) for its events; once it
 * is done, ask it questions (a day's list, a device's timeline, the evaluation, downloads): the
 * log stays in the worker until `release()`.
 */
export interface FleetSession extends AsyncIterable<FleetEvent> {
  readonly file: Blob;
  readonly modelId: string;
  ask<K extends FleetQuery['kind']>(query: Extract<FleetQuery, { kind: K }>): Promise<FleetAnswers[K]>;
  cancel(): void;
  release(): void;
}

export interface FleetLink {
  cancel(): void;
  ask(qid: number, query: FleetQuery): void;
  /** Stop routing this run's messages here and tell the worker to drop the log. */
  release(): void;
}

type Wire = FleetMessage | { type: 'error'; id: number; message: string };

export class WorkerFleetSession implements FleetSession {
  private queue: FleetEvent[] = [];
  private waiting: { resolve: (r: IteratorResult<FleetEvent>) => void; reject: (e: Error) => void } | null = null;
  private ended = false;
  private failure: Error | null = null;
  private released = false;
  private iterated = false;
  private nextQid = 1;
  private readonly asks = new Map<number, { resolve: (a: never) => void; reject: (e: Error) => void }>();

  constructor(
    readonly file: Blob,
    readonly modelId: string,
    private readonly link: FleetLink,
  ) {}

  ask<K extends FleetQuery['kind']>(query: Extract<FleetQuery, { kind: K }>): Promise<FleetAnswers[K]> {
    if (this.released) return Promise.reject(new Error('This log is no longer in memory: load it again'));
    if (this.failure) return Promise.reject(this.failure);
    const qid = this.nextQid++;
    return new Promise<FleetAnswers[K]>((resolve, reject) => {
      this.asks.set(qid, { resolve: resolve as (a: never) => void, reject });
      this.link.ask(qid, query);
    });
  }

  cancel(): void {
    if (!this.ended) this.link.cancel();
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.queue = [];
    this.link.release();
    this.end(null);
    this.failAsks(new Error('This log is no longer in memory: load it again'));
  }

  receive(m: Wire): void {
    switch (m.type) {
      case 'fleet-progress':
        return this.push({ type: 'progress', progress: m.progress, rejected: m.rejected });
      case 'fleet-refused':
        this.push({ type: 'refused', message: m.message, missing: m.missing });
        return this.end(null);
      case 'fleet-done':
        this.push({ type: 'done', status: m.status, message: m.message, summary: m.summary });
        return this.end(null);
      case 'fleet-answer':
        this.asks.get(m.qid)?.resolve(m.answer as never);
        this.asks.delete(m.qid);
        return;
      case 'fleet-query-error':
        this.asks.get(m.qid)?.reject(new Error(m.message));
        this.asks.delete(m.qid);
        return;
      case 'error':
        return this.fail(new Error(m.message));
    }
  }

  /** The worker failed (or the client was disposed): the iteration and open questions throw this. */
  fail(e: Error): void {
    this.end(e);
    this.failAs(e);
  }

  private failAs(e: Error): void {
    this.failure ??= e;
    this.failAsks(e);
  }

  private failAsks(e: Error): void {
    for (const a of this.asks.values()) a.reject(e);
    this.asks.clear();
  }

  [Symbol.asyncIterator](): AsyncIterator<FleetEvent> {
    if (this.iterated) throw new Error('A fleet session is iterated once');
    this.iterated = true;
    return {
      next: () => {
        const ev = this.queue.shift();
        if (ev) return Promise.resolve({ value: ev, done: false });
        if (this.failure && this.ended) return Promise.reject(this.failure);
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
      },
      return: () => {
        this.queue = [];
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  private push(ev: FleetEvent): void {
    const w = this.waiting;
    if (w) {
      this.waiting = null;
      w.resolve({ value: ev, done: false });
    } else this.queue.push(ev);
  }

  private end(failure: Error | null): void {
    if (this.ended) return;
    this.ended = true;
    if (failure) this.failure = failure;
    const w = this.waiting;
    this.waiting = null;
    if (!w) return;
    if (failure) w.reject(failure);
    else w.resolve({ value: undefined, done: true });
  }
}
