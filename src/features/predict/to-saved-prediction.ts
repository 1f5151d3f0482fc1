import type { DomainSpec } from '@/domain/domain-spec';
import { evidenceWords } from '@/domain/evidence';
import { describeNumberFormat, enteredUnits } from '@/domain/form-text';
import type { ModelEntry } from '@/domain/manifest';
import { isPositive } from '@/domain/model-list';
import type { SavedPrediction } from '@/domain/saved-prediction';
import type { PredictionState } from './prediction-state';

/** The saved prediction of a form prediction: the selected model's answer at the threshold in use. */
export function toSavedPrediction(
  id: string,
  domain: DomainSpec,
  state: PredictionState,
  model: ModelEntry,
  threshold: number,
  reference: string,
): SavedPrediction | null {
  const main = state.outcomes.find((o) => o.model.id === model.id);
  if (!main || main.skipped !== undefined) return null;
  return {
    id,
    created: new Date().toISOString(),
    domain: domain.id,
    reference: reference.trim(),
    model: { id: model.id, version: model.version, sha256: model.sha256 },
    threshold,
    threshold_changed: threshold !== model.threshold,
    probability: main.p1,
    class: model.class_labels[isPositive(main.p1, threshold) ? 1 : 0],
    inputs: { ...state.values },
    units: Object.fromEntries(
      domain.fields
        .filter((f) => f.unit && f.kind !== 'yes-no' && f.kind !== 'sex' && state.values[f.name] !== undefined)
        .map((f) => [f.name, f.unit]),
    ),
    entered: { number_format: describeNumberFormat(state.entered.format), units: enteredUnits(domain.fields, state.entered.units) },
    ...(model.evidence ? { evidence: evidenceWords(model.evidence, main.p1) } : {}),
  };
}
