/**
 * When the page may start its helper workers and job warm-ups. At once, except on a page opening
 * on a kept fleet: its list needs no helper and no warmed-up job, so they start a moment after
 * the worker has answered the open (a job's first message), or JOBS_AFTER_KEPT_MS after start.
 * Started at once, a helper's runtime (download, check, compile, sessions) and the job's warm-up
 * took the two cores while the kept log was read and ranked (docs/speed.md).
 */

/** How long a page opening on a kept fleet waits at most for its list before it starts helpers and warm-ups. */
export const JOBS_AFTER_KEPT_MS = 3000;
/** After the worker's first answer to that open, how long its list has to be drawn and its first questions answered. */
export const JOBS_AFTER_ANSWER_MS = 1000;

export class JobsGate {
  private waiting: Promise<void> | null = null;
  private onAnswer: () => void = () => undefined;

  /** `keptFleet`: the page opens on a kept fleet (otherwise the gate is open from the start). */
  constructor(keptFleet: boolean) {
    if (!keptFleet) return;
    const opened = new Promise<void>((resolve) => {
      this.onAnswer = () => {
        this.onAnswer = () => undefined;
        setTimeout(resolve, JOBS_AFTER_ANSWER_MS);
      };
      setTimeout(resolve, JOBS_AFTER_KEPT_MS);
    });
    this.waiting = opened.then(() => {
      this.waiting = null;
    });
  }

  /** The worker answered a job (on such a page, the open). */
  answered(): void {
    this.onAnswer();
  }

  /** Run `fn` now if the gate is open, else once it opens. */
  run(fn: () => void): void {
    if (this.waiting) void this.waiting.then(fn);
    else fn();
  }
}

/** One helper per core besides the batch worker's, at most 2 (each holds its own WebAssembly runtime and models). */
export function defaultHelperCount(cores = globalThis.navigator?.hardwareConcurrency ?? 1): number {
  return Math.max(0, Math.min(cores - 1, 2));
}
