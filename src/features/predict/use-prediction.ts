import { useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { afterNextPaint, createFollowUpGate } from '@/components/ui/follow-up-gate';
import { inputsRead, type DomainSpec } from '@/domain/domain-spec';
import { errorMessage, isAbortError } from '@/domain/errors';
import type { ModelEntry } from '@/domain/manifest';
import type { Values } from '@/domain/to-vector';
import type { Inference } from '@/inference/client';
import { useInference } from '@/inference/use-inference';
import { addRecord, newRecordId, savingEnabled } from '@/storage/saved-predictions';
import { explain } from './explain';
import { blankMessage, completeRow, missingInputs } from './model-inputs';
import type { ModelOutcome } from './prediction-state';
import { createPredictionStore } from './prediction-store';
import { toSavedPrediction } from './to-saved-prediction';
import type { EntryForm } from './use-entry-form';

/** The error type of a blank field that the selected model reads (cleared when the model or the value changes). */
const BLANK = 'blank';
// Below this width the result sits under the form: a new result is scrolled into view.
const NARROW = '(max-width: 900px)';
/** A prediction slower than this shows as busy. */
const BUSY_AFTER_MS = 150;

interface PredictionContext {
  spec: DomainSpec;
  models: readonly ModelEntry[];
  modelErrors: Readonly<Record<string, string>>;
  entry: EntryForm;
  /** The cut-off the saved prediction records. */
  threshold: number;
  patientRef: string;
}

/** A blank field that the model shown first reads is marked at the field; no other blank one is. */
function markBlank({ form }: EntryForm, spec: DomainSpec, model: ModelEntry, values: Values) {
  for (const f of spec.fields) if (form.getFieldState(f.name).error?.type === BLANK) form.clearErrors(f.name);
  for (const name of missingInputs(spec, model, values)) {
    const label = spec.fields.find((f) => f.name === name)?.label ?? name;
    form.setError(name, { type: BLANK, message: blankMessage(label, model) });
  }
}

/** Every model that can run on the values, each on its own full row; the others say why not. */
async function outcomesOf(inference: Inference, ctx: PredictionContext, values: Values, signal: AbortSignal): Promise<ModelOutcome[]> {
  const { spec, models, modelErrors } = ctx;
  const runnable = models.filter((m) => !modelErrors[m.id] && missingInputs(spec, m, values).length === 0);
  const preds = await Promise.all(runnable.map((m) => inference.predict([m.id], [completeRow(spec, m, values)], { signal }).then(([p]) => p!)));
  return models.map((m) => {
    const p = preds.find((x) => x.modelId === m.id);
    if (p) return { model: m, p1: p.p1[0]!, label: p.labels[0]!, runMs: p.runMs };
    const reason = modelErrors[m.id]
      ? `unavailable: ${modelErrors[m.id]}`
      : `needs: ${missingInputs(spec, m, values)
          .map((n) => spec.fields.find((f) => f.name === n)?.label ?? n)
          .join(', ')}`;
    return { model: m, skipped: reason };
  });
}

/** The explanation of the model shown first, from the inputs it reads. */
function explainShown(inference: Inference, spec: DomainSpec, model: ModelEntry, values: Values, p1: number, signal: AbortSignal) {
  const read = inputsRead(
    spec,
    model.id,
    model.features.map((f) => f.name),
  );
  return explain(inference, model, completeRow(spec, model, values), p1, spec.fields, read, signal);
}

/** Resolves once the next frame has been painted, after `first` has run. */
function painted(first: () => void): Promise<void> {
  return new Promise((done) =>
    afterNextPaint(() => {
      first();
      done();
    }),
  );
}

/**
 * Predictions of the form's values: every model that can run on them, the result shown at
 * once, then its explanation; the saved prediction kept when saving is on. A newer prediction
 * aborts the one still on its way. `gate`: a result's charts, curves and print-only report wait
 * while a newer prediction is on its way; its hold is released once the frame showing its
 * result has been painted.
 */
export function usePrediction(ctx: PredictionContext) {
  const inference = useInference();
  // The result shown: its own store, so that a new one draws the result and not the form.
  const [store] = useState(createPredictionStore);
  const [runError, setRunError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The saved prediction of the result shown (its reference follows the field).
  const savedRef = useRef<string | null>(null);
  const abortRef = useRef<AbortController | null>(null);
  const seqRef = useRef(0);
  const resultRef = useRef<HTMLElement>(null);
  const [gate] = useState(createFollowUpGate);
  // Leaving the view: stop waiting for a prediction still on its way.
  useEffect(() => () => abortRef.current?.abort(), []);
  const { spec, entry } = ctx;

  async function predict(values: Values, model: ModelEntry | null, scroll: boolean, keep = true) {
    if (!model) return;
    abortRef.current?.abort();
    const ac = new AbortController();
    abortRef.current = ac;
    // Busy (the button disabled, the result marked aria-busy) only when it takes a while: a
    // prediction usually answers within a frame, and a render of the whole form would delay it.
    const busyTimer = setTimeout(() => setBusy(true), BUSY_AFTER_MS);
    const release = gate.hold();
    let releaseAfterPaint = false;
    setRunError(null);
    markBlank(entry, spec, model, values);
    const entered = entry.settingsRef.current;
    try {
      const outcomes = await outcomesOf(inference, ctx, values, ac.signal);
      const seq = ++seqRef.current;
      const shown = { values, entered, outcomes, contributions: null, seq };
      // Committed now, in this task, and painted before anything else is done: the saved record
      // and the explanation's requests wait for that frame (otherwise they ran first, and the
      // render waited for the scheduler's next task).
      flushSync(() => store.set(shown));
      releaseAfterPaint = true;
      savedRef.current = null;
      await painted(release);
      if (ac.signal.aborted) return;
      const saved = keep && savingEnabled() ? toSavedPrediction(newRecordId(), spec, shown, model, ctx.threshold, ctx.patientRef) : null;
      if (saved) {
        savedRef.current = saved.id;
        addRecord(saved).catch((e: unknown) => setRunError(`not kept in the history: ${errorMessage(e)}`));
      }
      if (scroll && window.matchMedia(NARROW).matches) requestAnimationFrame(() => resultRef.current?.scrollIntoView({ block: 'start' }));
      const main = outcomes.find((o) => o.model.id === model.id);
      if (main && main.skipped === undefined) {
        const contributions = await explainShown(inference, spec, model, values, main.p1, ac.signal);
        await gate.open(); // shown with the deferred charts, after the result's own frame
        if (!ac.signal.aborted) store.set({ values, entered, outcomes, contributions, seq });
      }
    } catch (e) {
      if (!isAbortError(e)) setRunError(errorMessage(e));
    } finally {
      clearTimeout(busyTimer);
      if (!releaseAfterPaint) release();
      if (abortRef.current === ac) setBusy(false);
    }
  }

  /** Stop a prediction on its way and show none. */
  function clear() {
    abortRef.current?.abort();
    store.set(null);
  }

  return { store, runError, busy, gate, resultRef, savedRef, predict, clear };
}
