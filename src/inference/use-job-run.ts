import { useCallback, useEffect, useReducer, useRef } from 'react';
import { errorMessage } from '@/domain/errors';
import type { Inference } from './client';
import type { Job } from './job-channel';
import { useInference } from './use-inference';

/** Progress renders at most this often while a job runs: each costs the main thread a few ms of a core the workers could use. */
export const RENDER_EVERY_MS = 400;

/**
 * Says whether a progress render is due: every RENDER_EVERY_MS at most, or when forced. The
 * first one too waits an interval: a job that ends within it costs the page one render, at the end.
 */
export function renderPacer(now: () => number = () => performance.now()): (force?: boolean) => boolean {
  let last = now();
  return (force = false) => {
    const t = now();
    if (!force && t - last < RENDER_EVERY_MS) return false;
    last = t;
    return true;
  };
}

/** Read a job's events (once); an error of the worker ends the run as `failed`, in words. */
export async function followJob<E>(job: AsyncIterable<E>, onEvent: (ev: E) => void, failed: (message: string) => void): Promise<void> {
  try {
    for await (const ev of job) onEvent(ev);
  } catch (e) {
    failed(errorMessage(e));
  }
}

/** Every run reducer's first action: a new job replaces the previous one. */
export type JobStart<J> = { type: 'start'; session: J; fileName: string };

/**
 * One job at a time for a view: a new file replaces the previous run (stopped and released),
 * leaving the view releases it too, and Cancel is the job's own `cancel()`. The reducer and
 * the way events become actions are the kind's; the lifecycle is this one.
 */
export function useJobRun<J extends Job<unknown>, R, A extends { type: string }, P extends unknown[]>(
  /** Its actions include JobStart<J>. */
  reducer: (state: R, action: A) => R,
  idle: R,
  open: (inference: Inference, file: File, ...args: P) => J,
  follow: (job: J, dispatch: (a: A) => void) => Promise<void>,
): { run: R; start: (file: File, ...args: P) => void; cancel: () => void } {
  const inference = useInference();
  const [run, dispatch] = useReducer(reducer, idle);
  const current = useRef<J | null>(null);

  // Leaving the view: the run stops and the worker drops what it kept.
  useEffect(
    () => () => {
      current.current?.release();
      current.current = null;
    },
    [],
  );

  const start = useCallback(
    (file: File, ...args: P) => {
      current.current?.release();
      const session = open(inference, file, ...args);
      current.current = session;
      dispatch({ type: 'start', session, fileName: file.name } satisfies JobStart<J> as JobStart<J> & A);
      void follow(session, dispatch);
    },
    [inference, open, follow],
  );

  // Cancel: the worker stops; what it read so far is still reported.
  const cancel = useCallback(() => current.current?.cancel(), []);

  return { run, start, cancel };
}
