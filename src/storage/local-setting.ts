import { useSyncExternalStore } from 'react';

/**
 * A choice remembered in this browser (localStorage), shared by every hook in the page that
 * reads its key: number format, units, chosen thresholds. Where storage is blocked, the
 * choice still holds for the visit (kept in memory).
 */

// One event for every setter in the page, so each hook that reads a key re-renders.
const listeners = new Set<() => void>();
const memory = new Map<string, string | null>();

function subscribe(fn: () => void) {
  listeners.add(fn);
  window.addEventListener('storage', fn);
  return () => {
    listeners.delete(fn);
    window.removeEventListener('storage', fn);
  };
}

export function readSetting(key: string): string | null {
  if (memory.has(key)) return memory.get(key) ?? null;
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null; // storage blocked: nothing remembered from an earlier visit
  }
}

/** Store `value` under `key` (null removes it) and tell every reader. */
export function writeSetting(key: string, value: string | null): void {
  memory.set(key, value);
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // Not remembered; the page still uses the choice (memory above).
  }
  for (const fn of listeners) fn();
}

/** The stored string under `key` (null: none, or no key); re-renders when any setting changes. */
export function useSetting(key: string | null): string | null {
  return useSyncExternalStore(subscribe, () => (key === null ? null : readSetting(key)));
}
