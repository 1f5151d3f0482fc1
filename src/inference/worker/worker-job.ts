import { MAX_ERRORS_SENT, type BatchRowError } from '@/inference/protocol';
import type { BatchScorer } from './scorers';

/*
 * What every job a worker runs (a scored file, a fleet log) uses alike: yielding to messages,
 * choosing a helper, capping the rejected rows sent, and posting progress at a steady pace.
 */

/** Resolves after the tasks already queued on this thread (messages included) have run. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.onmessage = null;
      port1.close();
      port2.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

/** The helper with the most room for a chunk, if any has room. */
export function pickHelper<S extends BatchScorer>(helpers: readonly S[]): S | undefined {
  let helper: S | undefined;
  for (const h of helpers) if (h.room() > (helper?.room() ?? 0)) helper = h;
  return helper;
}

/**
 * With every helper full, let their replies in (they are messages): without this the worker
 * would score chunk after chunk itself, never seeing that a helper has finished. Not after
 * every chunk: a yield can cost this thread its core for a while.
 */
export async function yieldToHelpers(helpers: readonly BatchScorer[]): Promise<void> {
  if (helpers.length > 0 && helpers.every((h) => h.room() === 0)) await nextTask();
}

/** The rejected rows a job sends the page: the first MAX_ERRORS_SENT in all (the counts include every one). */
export class RejectedSent {
  sent = 0;
  /** This batch's row errors still under the cap. */
  take(rows: readonly { errors: readonly BatchRowError[] }[]): BatchRowError[] {
    const out: BatchRowError[] = [];
    for (const r of rows) {
      for (const e of r.errors) {
        if (this.sent >= MAX_ERRORS_SENT) return out;
        out.push(e);
        this.sent++;
      }
    }
    return out;
  }
}

/** Worker progress is posted at most this often unless forced: each message costs the page a task. */
export const PROGRESS_EVERY_MS = 100;

/** A poster that sends when forced or when PROGRESS_EVERY_MS has passed since the last one. */
export function throttledPoster(post: () => void, everyMs = PROGRESS_EVERY_MS, now = () => performance.now()): (force: boolean) => void {
  let last = -Infinity;
  return (force) => {
    const t = now();
    if (!force && t - last < everyMs) return;
    last = t;
    post();
  };
}
