/*
 * One lifecycle for every long job the workers run for the page (a scored file, a fleet log):
 *   progress... -> done | cancelled | failed (a `done` event and its status) | refused
 * and a failure of the worker itself, which ends the iteration by throwing. Each kind adds only
 * its own data to these events and its own questions (download, ask).
 */

import type { JobStatus } from './protocol';

export type { JobStatus };

/** The job was not started: the file is not one this kind reads (columns missing). Last event. */
export interface RefusedEvent {
  type: 'refused';
  message: string;
  missing: string[];
}

/** What every job session offers the page, besides its kind's own data. */
export interface Job<E> extends AsyncIterable<E> {
  readonly file: Blob;
  readonly modelId: string;
  /** Stop the job; its events go on to a `done` event with status 'cancelled'. The one way to cancel. */
  cancel(): void;
  /** The page is done with it: events stop, a job still running is stopped, the worker drops what it kept. */
  release(): void;
}

/** The client's side of a job: how its session reaches the worker. */
export interface JobLink {
  cancel(): void;
  /** Stop routing this job's messages here and tell the worker to drop it. */
  release(): void;
  /** The events have ended (last event, failure, or the reader stopped): e.g. drop an abort listener. */
  ended(): void;
}

/** The worker's failure of one job, on the wire. */
export type JobError = { type: 'error'; id: number; message: string };

/**
 * A job's events, fed by the client with the job's wire messages (`receive`). Events queue
 * until read, so a slow reader loses none. After the last event, messages other than events
 * (answers, downloads) still arrive until `release()`.
 */
export abstract class JobChannel<E, W extends { type: string }> implements Job<E> {
  private queue: E[] = [];
  private waiting: { resolve: (r: IteratorResult<E>) => void; reject: (e: Error) => void } | null = null;
  private iterated = false;
  protected ended = false;
  protected failure: Error | null = null;
  protected released = false;

  constructor(
    readonly file: Blob,
    readonly modelId: string,
    protected readonly link: JobLink,
    /** Why a released job can no longer answer, in words for the page. */
    protected readonly goneMessage: string,
  ) {}

  /** Turn one of this kind's wire messages into events (push, then finish after the last). */
  protected abstract onMessage(m: W): void;

  /** The worker's failure or the release also fails this kind's open questions. */
  protected onStop(_e: Error): void {}

  cancel(): void {
    if (!this.ended) this.link.cancel();
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.queue = [];
    this.link.release();
    this.end(null);
    this.onStop(new Error(this.goneMessage));
  }

  /** Called by the client with each message of this job. */
  receive(m: W | JobError): void {
    if (m.type === 'error') return this.fail(new Error((m as JobError).message));
    this.onMessage(m as W);
  }

  /** The worker failed (or the client was disposed): the iteration and open questions throw this. */
  fail(e: Error): void {
    this.end(e);
    this.onStop(e);
  }

  [Symbol.asyncIterator](): AsyncIterator<E> {
    if (this.iterated) throw new Error('A job session is iterated once');
    this.iterated = true;
    return {
      next: () => {
        const ev = this.queue.shift();
        if (ev) return Promise.resolve({ value: ev, done: false });
        if (this.failure) return Promise.reject(this.failure);
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
      },
      // `break` in a for-await: the reader stops listening; what the job kept stays (downloads, answers).
      return: () => {
        this.queue = [];
        this.end(null);
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  /** An event for the reader; ignored once the events have ended. */
  protected push(ev: E): void {
    if (this.ended) return;
    const w = this.waiting;
    if (w) {
      this.waiting = null;
      w.resolve({ value: ev, done: false });
    } else {
      this.queue.push(ev);
    }
  }

  /** The last event has come. */
  protected finish(): void {
    this.end(null);
  }

  private end(failure: Error | null): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = failure;
    this.link.ended();
    const w = this.waiting;
    this.waiting = null;
    if (!w) return;
    if (failure) w.reject(failure);
    else w.resolve({ value: undefined, done: true });
  }
}
