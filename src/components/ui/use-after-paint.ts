import { startTransition, useEffect, useState } from 'react';
import { afterNextPaint, openGate, type FollowUpGate } from './follow-up-gate';

/**
 * `value`, but only after the frame that shows the rest of the change has been painted (a task
 * queued from requestAnimationFrame runs after that paint), then rendered as a transition; null
 * until the first value's frame has been painted. For the slow parts of a view (a result's charts,
 * its print copy): useDeferredValue starts their render at once, and its commit (layout,
 * measuring) can land before the next frame; this lets that frame go first, the first one too.
 * While `gate` is held (a newer value on its way), the new value waits: a stale one is then dropped.
 */
export function useLaterPart<T>(value: T, gate: FollowUpGate = openGate): T | null {
  const [shown, setShown] = useState<T | null>(null);
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
