import { startTransition, useEffect, useState } from 'react';

/**
 * `value`, but a new one only after the frame that shows the rest of the change has been painted
 * (a task queued from requestAnimationFrame runs after that paint), then rendered as a transition.
 * For the slow parts of a view (charts): useDeferredValue starts their render at once, and its
 * commit (layout, measuring) can land before the next frame; this lets that frame go first.
 */
export function useAfterPaint<T>(value: T): T {
  const [shown, setShown] = useState(value);
  useEffect(() => {
    if (Object.is(shown, value)) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => startTransition(() => setShown(value)), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [value, shown]);
  return shown;
}
