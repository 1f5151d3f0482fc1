import { useCallback, useSyncExternalStore } from 'react';
import type { ModelEntry } from '@/domain/manifest';

/**
 * The alert threshold a person chose for a model, remembered in this browser (localStorage,
 * per model id). The stored entry keeps the default it replaced: once training ships a
 * new default, an old choice no longer applies and the new default is used.
 */

const key = (modelId: string) => `prognos.threshold.${modelId}`;
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

function read(k: string): string | null {
  if (memory.has(k)) return memory.get(k) ?? null;
  try {
    return window.localStorage.getItem(k);
  } catch {
    return null; // storage blocked: the choice lasts for the visit only
  }
}

function write(k: string, value: string | null) {
  memory.set(k, value);
  try {
    if (value === null) window.localStorage.removeItem(k);
    else window.localStorage.setItem(k, value);
  } catch {
    // Not remembered; the page still uses the choice (memory above).
  }
  for (const fn of listeners) fn();
}

/** The stored threshold of a model, or null when none applies (absent, broken, or for another default). */
export function storedThreshold(raw: string | null, model: Pick<ModelEntry, 'threshold'>): number | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as { t?: unknown; default?: unknown };
    if (typeof v.t === 'number' && v.t >= 0 && v.t <= 1 && v.default === model.threshold) return v.t;
  } catch {
    // ignored: the default applies
  }
  return null;
}

export interface ThresholdChoice {
  threshold: number;
  /** True when it differs from the manifest's threshold. */
  changed: boolean;
  set: (t: number) => void;
  reset: () => void;
}

/** The chosen threshold of a model (with no model yet: 0.5, unchanged, and setters that do nothing). */
export function useThreshold(maybe: Pick<ModelEntry, 'id' | 'threshold'> | null): ThresholdChoice {
  const model = maybe ?? { id: '', threshold: 0.5 };
  const raw = useSyncExternalStore(subscribe, () => (maybe ? read(key(model.id)) : null));
  const t = storedThreshold(raw, model);
  const set = useCallback(
    (v: number) => write(key(model.id), v === model.threshold ? null : JSON.stringify({ t: v, default: model.threshold })),
    [model.id, model.threshold],
  );
  const reset = useCallback(() => write(key(model.id), null), [model.id]);
  const threshold = t ?? model.threshold;
  return { threshold, changed: threshold !== model.threshold, set, reset };
}
