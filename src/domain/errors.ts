/**
 * What was thrown, in words. `catch` gives `unknown`: an Error's message, or the thrown
 * value as text (a worker or a library may throw a string).
 */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * A cancelled operation (AbortController), which callers ignore rather than show. Checks
 * the name, not the class: DOMException is not an Error subclass in every runtime.
 */
export function isAbortError(e: unknown): e is Error & { name: 'AbortError' } {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'AbortError';
}
