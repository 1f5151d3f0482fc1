/**
 * Holds a view's follow-up renders (charts, curves, the print-only report) while something more
 * urgent is on its way, such as a newer prediction: its result commits and paints first, and the
 * previous result's late pieces never land in that frame. `hold()` returns its release (safe to
 * call twice); `open()` resolves once nothing holds the gate.
 */
export interface FollowUpGate {
  hold(): () => void;
  open(): Promise<void>;
}

export function createFollowUpGate(): FollowUpGate {
  let holds = 0;
  let waiting: (() => void)[] = [];
  return {
    hold() {
      holds++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        holds--;
        if (holds > 0) return;
        const run = waiting;
        waiting = [];
        for (const go of run) go();
      };
    },
    open: () => (holds === 0 ? Promise.resolve() : new Promise<void>((go) => waiting.push(go))),
  };
}

/** A gate nothing holds: for a view with nothing more urgent to wait for. */
export const openGate: FollowUpGate = { hold: () => () => undefined, open: () => Promise.resolve() };

/**
 * Calls `f` once the frame now being prepared has been painted (a task queued from
 * requestAnimationFrame runs after that paint), or after `latest` ms where no frame comes (a
 * hidden tab): what waits on it never waits for good.
 */
export function afterNextPaint(f: () => void, latest = 250): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => {
    clearTimeout(fallback);
    timer = setTimeout(f, 0);
  });
  const fallback = setTimeout(() => {
    cancelAnimationFrame(frame);
    f();
  }, latest);
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    clearTimeout(fallback);
  };
}
