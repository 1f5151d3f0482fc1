import type { InputSettings } from '@/domain/form-text';
import type { ModelEntry } from '@/domain/manifest';
import type { Values } from '@/domain/to-vector';
import type { Contribution } from '@/features/predict/explain';

/** What the predict view shows: its own file, so the view and the result panel both import it (no cycle). */

/** One model's answer for the form's values, or why it was not asked. */
export type ModelOutcome =
  { model: ModelEntry; p1: number; label: number; runMs: number; skipped?: undefined } | { model: ModelEntry; skipped: string };

export interface PredictionState {
  /** As entered, in the model's units; blanks absent. */
  values: Values;
  /** The number format and units the values were typed in (for the report and the download). */
  entered: InputSettings;
  outcomes: ModelOutcome[];
  contributions: Contribution[] | null;
  /** Increments with every result: lets the benchmark see a new render. */
  seq: number;
}
