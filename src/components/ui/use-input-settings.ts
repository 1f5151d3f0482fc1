import { useCallback, useSyncExternalStore } from 'react';
import { formatFromLocale, type NumberFormat } from '@/domain/number-format';

/**
 * The number format and the units a person works in, remembered in this browser
 * (localStorage): the same settings for the form, the CSV import and the report.
 */

const FORMAT_KEY = 'prognos.number-format';
const unitsKey = (domain: string) => `prognos.units.${domain}`;

// One event for every setter in the page, so each hook that reads a key re-renders.
const listeners = new Set<() => void>();
function subscribe(fn: () => void) {
  listeners.add(fn);
  window.addEventListener('storage', fn);
  return () => {
    listeners.delete(fn);
    window.removeEventListener('storage', fn);
  };
}

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null; // storage blocked: settings last for the visit only
  }
}

function write(key: string, value: string) {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Not remembered; the page still uses the choice (memory below).
  }
  memory.set(key, value);
  for (const fn of listeners) fn();
}

const memory = new Map<string, string>();
const stored = (key: string) => read(key) ?? memory.get(key) ?? null;

export function useNumberFormat(): [NumberFormat, (f: NumberFormat) => void] {
  const raw = useSyncExternalStore(subscribe, () => stored(FORMAT_KEY));
  const format: NumberFormat = raw === 'point' || raw === 'comma' ? raw : formatFromLocale(navigator.language);
  return [format, useCallback((f: NumberFormat) => write(FORMAT_KEY, f), [])];
}

/** Field name -> chosen unit id for a domain (fields not listed: the model's unit). */
export function useUnits(domain: string): [Readonly<Record<string, string>>, (field: string, unitId: string) => void] {
  const raw = useSyncExternalStore(subscribe, () => stored(unitsKey(domain)));
  const units = parseUnits(raw);
  const set = useCallback(
    (field: string, unitId: string) => write(unitsKey(domain), JSON.stringify({ ...parseUnits(stored(unitsKey(domain))), [field]: unitId })),
    [domain],
  );
  return [units, set];
}

// The JSON string is the snapshot (stable between renders); parsed on each read, it is tiny.
function parseUnits(raw: string | null): Record<string, string> {
  if (!raw) return {};
  try {
    const v = JSON.parse(raw) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
    }
  } catch {
    // A broken entry is ignored: the model's units apply.
  }
  return {};
}
