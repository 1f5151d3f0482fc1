import { startTransition, useEffect, useState } from 'react';
import { afterNextPaint, openGate, type FollowUpGate } from './follow-up-gate';

/**
 * `value`, but a new one only after the frame that shows the rest of the change has been painted
 * (a task queued from requestAnimationFrame runs after that paint), then rendered as a transition.
 * For the slow parts of a view (charts): useDeferredValue starts their render at once, and its
 * commit (layout, measuring) can land before the next frame; this lets that frame go first.
 * While `gate` is held (a newer value on its way), the new value waits: a stale one is then dropped.
 */
export function useAfterPaint<T>(value: T, gate: FollowUpGate = openGate): T {
  return useAfterPaintFrom(value, value, gate);
}

/**
 * As useAfterPaint, but null until the first value's frame has been painted: for parts of a view
 * that its first render need not wait for either (a first result's charts, its print copy).
 */
export function useLaterPart<T>(value: T, gate: FollowUpGate = openGate): T | null {
  return useAfterPaintFrom<T, null>(value, null, gate);
}

function useAfterPaintFrom<T, I>(value: T, initial: T | I, gate: FollowUpGate): T | I {
  const [shown, setShown] = useState<T | I>(initial);
  useEffect(() => {
    if (Object.is(shown, value)) return;
    let live = true;
    const cancel = afterNextPaint(() => {
      void gate.open().then(() => {
        if (live) startTransition(() => setShown(value));
      });
    });
    return () => {
      live = false;
      cancel();
    };
  }, [value, shown, gate]);
  return shown;
}
