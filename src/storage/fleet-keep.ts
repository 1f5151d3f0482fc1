/**
 * The opt-in "keep this fleet in this browser" (localStorage, per domain). Its own module, with
 * no imports: the page's entry reads it before anything else loads, to tell the worker that the
 * page opens on a kept fleet (the worker reads it while the page draws).
 */
export const keepKey = (domain: string): string => `prognos.${domain}.fleet.keep`;

/** True when this browser keeps `domain`'s fleet (storage blocked: false). */
export function keepsFleet(domain: string): boolean {
  try {
    return window.localStorage.getItem(keepKey(domain)) === 'on';
  } catch {
    return false;
  }
}
