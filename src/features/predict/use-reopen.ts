import { useEffect, useState } from 'react';
import type { DomainId, ModelEntry } from '@/domain/manifest';
import type { SavedPrediction } from '@/domain/saved-prediction';
import { takeReopen } from '@/storage/saved-predictions';
import type { EntryForm } from './use-entry-form';
import type { usePrediction } from './use-prediction';

interface ReopenContext {
  domain: DomainId;
  ready: boolean;
  models: readonly ModelEntry[];
  selected: ModelEntry | null;
  select: (id: string | null) => void;
  setPatientRef: (s: string) => void;
  entry: EntryForm;
  run: Pick<ReturnType<typeof usePrediction>, 'predict'>;
}

/**
 * A saved prediction re-opened from the History view: its values in the form, its model, and a
 * fresh prediction. Returns the record re-opened (null once another prediction is asked for).
 */
export function useReopen({ domain, ready, models, selected, select, setPatientRef, entry, run }: ReopenContext) {
  const [reopened, setReopened] = useState<SavedPrediction | null>(null);

  function reopen(r: SavedPrediction) {
    const model = models.find((m) => m.id === r.model.id) ?? selected;
    select(model?.id ?? null);
    setReopened(r);
    setPatientRef(r.reference);
    entry.fill(r.inputs);
    void run.predict(r.inputs, model, false, false);
  }

  useEffect(() => {
    if (!ready) return;
    const r = takeReopen(domain);
    if (r) void Promise.resolve().then(() => reopen(r));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, when the models are ready
  }, [ready]);

  return [reopened, setReopened] as const;
}
