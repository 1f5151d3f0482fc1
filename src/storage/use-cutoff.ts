import { useCallback } from 'react';
import type { ModelEntry } from '@/domain/manifest';
import { useSetting, writeSetting } from './local-setting';

/**
 * The cut-off: the alert threshold a person chose for a model (the word "threshold" alone is
 * the model's default, and "nested figures" the training's thresholds file), remembered in this browser (localStorage,
 * per model id). The stored entry keeps the default it replaced: once training ships a
 * new default, an old choice no longer applies and the new default is used.
 */

const key = (modelId: string) => `prognos.threshold.${modelId}`;

/** The stored threshold of a model, or null when none applies (absent, broken, or for another default). */
export function storedCutoff(raw: string | null, model: Pick<ModelEntry, 'threshold'>): number | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as { t?: unknown; default?: unknown };
    if (typeof v.t === 'number' && v.t >= 0 && v.t <= 1 && v.default === model.threshold) return v.t;
  } catch {
    // ignored: the default applies
  }
  return null;
}

export interface CutoffChoice {
  threshold: number;
  /** True when it differs from the manifest's threshold. */
  changed: boolean;
  set: (t: number) => void;
  reset: () => void;
}

/** The chosen threshold of a model (with no model yet: 0.5, unchanged, and setters that do nothing). */
export function useCutoff(maybe: Pick<ModelEntry, 'id' | 'threshold'> | null): CutoffChoice {
  const model = maybe ?? { id: '', threshold: 0.5 };
  const raw = useSetting(maybe ? key(model.id) : null);
  const t = storedCutoff(raw, model);
  const set = useCallback(
    (v: number) => writeSetting(key(model.id), v === model.threshold ? null : JSON.stringify({ t: v, default: model.threshold })),
    [model.id, model.threshold],
  );
  const reset = useCallback(() => writeSetting(key(model.id), null), [model.id]);
  const threshold = t ?? model.threshold;
  return { threshold, changed: threshold !== model.threshold, set, reset };
}
