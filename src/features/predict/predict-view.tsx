import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useForm, type FieldErrors, type Resolver } from 'react-hook-form';
import { FieldInput } from '@/components/ui/field-input';
import { afterNextPaint, createFollowUpGate } from '@/components/ui/follow-up-gate';
import { NumberFormatChoice, UnitChoices } from '@/components/ui/input-settings';
import { RichText } from '@/components/ui/rich-text';
import { SaveOptIn } from '@/components/ui/save-opt-in';
import { inputsRead } from '@/domain/domain-spec';
import { getDomain } from '@/domain/domains';
import { errorMessage, isAbortError } from '@/domain/errors';
import { shownFields, toFormText, type InputSettings } from '@/domain/form-text';
import type { DomainId, ModelEntry } from '@/domain/manifest';
import type { NumberFormat } from '@/domain/number-format';
import type { SavedPrediction } from '@/domain/saved-prediction';
import type { Values } from '@/domain/to-vector';
import { useDomainModels, useInference } from '@/inference/use-inference';
import { addRecord, savingEnabled, newRecordId, setReference, takeReopen } from '@/storage/saved-predictions';
import { useCutoff } from '@/storage/use-cutoff';
import { useNumberFormat, useUnits } from '@/storage/use-input-settings';
import { explain } from './explain';
import { blankMessage, completeRow, missingInputs } from './model-inputs';
import type { ModelOutcome, PredictionState } from './prediction-state';
import { PrintReport } from './print-report';
import { FhirDownload } from './record/fhir-download';
import { hasFhirMapping, type RecordResult } from './record/record-entry';
import { RecordPanel } from './record/record-panel';
import { RecordSources } from './record/record-sources';
import { useSmartReturn } from './record/use-smart-return';
import { ReopenNote } from './reopen-note';
import { ResultPanel } from './result-panel';
import { toSavedPrediction } from './to-saved-prediction';

type FormValues = Record<string, string>;

/** The error type of a blank field that the selected model reads (cleared when the model or the value changes). */
const BLANK = 'blank';

// Below this width the result sits under the form: a new result is scrolled into view.
const NARROW = '(max-width: 900px)';
/** A prediction slower than this shows as busy. */
const BUSY_AFTER_MS = 150;

/** The form's checks (the field schemas): loaded once the form is drawn, not before it. */
const formInput = () => import('@/domain/form-input');

export function PredictView({ domain }: { domain: DomainId }) {
  const spec = getDomain(domain);
  const inference = useInference();
  const { models, errors: modelErrors, ready } = useDomainModels(domain);
  const [format, setFormat] = useNumberFormat();
  const [units, setUnit] = useUnits(domain);
  const settings: InputSettings = useMemo(() => ({ format, units }), [format, units]);
  const shown = useMemo(() => shownFields(spec.fields, units), [spec.fields, units]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = models.find((m) => m.id === selectedId) ?? models[0] ?? null;
  const [state, setState] = useState<PredictionState | null>(null);
  const [runError, setRunError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [patientRef, setPatientRef] = useState('');
  const choice = useCutoff(selected);
  // The saved prediction of the result shown (its reference follows the field) and one re-opened from the saved predictions.
  const savedRef = useRef<string | null>(null);
  const [reopened, setReopened] = useState<SavedPrediction | null>(null);
  const abortRef = useRef<AbortController | null>(null);
  const seqRef = useRef(0);
  // A record read into the form (FHIR): where each value came from; a refusal leaves the form as it was.
  const [record, setRecord] = useState<Extract<RecordResult, { ok: true }> | null>(null);
  const [recordError, setRecordError] = useState<string | null>(null);
  const resultRef = useRef<HTMLElement>(null);
  // A result's charts, curves and print-only report wait while a newer prediction is on its way;
  // that prediction's hold is released once the frame showing its result has been painted.
  const [gate] = useState(createFollowUpGate);
  // Leaving the view: stop waiting for a prediction still on its way.
  useEffect(() => () => abortRef.current?.abort(), []);
  // The checks load while the person reads the form (the first submit waits for them if need be).
  useEffect(() => void formInput(), []);

  // The resolver reads the settings of the latest render (format and units can change between submits).
  const settingsRef = useRef(settings);
  useLayoutEffect(() => {
    settingsRef.current = settings;
  }, [settings]);
  const resolver = useCallback<Resolver<FormValues, unknown, Values>>(
    async (raw) => {
      const { parseFormInput } = await formInput();
      const r = parseFormInput(spec.fields, raw, settingsRef.current);
      if (r.ok) return { values: r.values, errors: {} };
      const errors = Object.fromEntries(r.errors.map((e) => [e.field, { type: 'validate', message: e.message }]));
      return { values: {}, errors: errors as FieldErrors<FormValues> };
    },
    [spec.fields],
  );
  const form = useForm<FormValues, unknown, Values>({ resolver, defaultValues: blank(spec.fields), reValidateMode: 'onChange' });

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
    markBlank(model, values);
    const entered = settingsRef.current;
    try {
      // A model runs when the inputs it reads are filled; each gets its own full row.
      const runnable = models.filter((m) => !modelErrors[m.id] && missingInputs(spec, m, values).length === 0);
      const preds = await Promise.all(
        runnable.map((m) => inference.predict([m.id], [completeRow(spec, m, values)], { signal: ac.signal }).then(([p]) => p!)),
      );
      const outcomes: ModelOutcome[] = models.map((m) => {
        const p = preds.find((x) => x.modelId === m.id);
        if (p) return { model: m, p1: p.p1[0]!, label: p.labels[0]!, runMs: p.runMs };
        const reason = modelErrors[m.id]
          ? `unavailable: ${modelErrors[m.id]}`
          : `needs: ${missingInputs(spec, m, values)
              .map((n) => spec.fields.find((f) => f.name === n)?.label ?? n)
              .join(', ')}`;
        return { model: m, skipped: reason };
      });
      const seq = ++seqRef.current;
      const shown = { values, entered, outcomes, contributions: null, seq };
      setState(shown);
      afterNextPaint(release);
      releaseAfterPaint = true;
      savedRef.current = null;
      const entry = keep && savingEnabled() ? toSavedPrediction(newRecordId(), spec, shown, model, choice.threshold, patientRef) : null;
      if (entry) {
        savedRef.current = entry.id;
        addRecord(entry).catch((e: unknown) => setRunError(`not kept in the history: ${errorMessage(e)}`));
      }
      if (scroll && window.matchMedia(NARROW).matches) requestAnimationFrame(() => resultRef.current?.scrollIntoView({ block: 'start' }));
      const main = outcomes.find((o) => o.model.id === model.id);
      if (main && main.skipped === undefined) {
        const read = inputsRead(
          spec,
          model.id,
          model.features.map((f) => f.name),
        );
        const row = completeRow(spec, model, values);
        const contributions = await explain(inference, model, row, main.p1, spec.fields, read, ac.signal);
        await gate.open(); // shown with the deferred charts, after the result's own frame
        if (!ac.signal.aborted) setState({ values, entered, outcomes, contributions, seq });
      }
    } catch (e) {
      if (!isAbortError(e)) setRunError(errorMessage(e));
    } finally {
      clearTimeout(busyTimer);
      if (!releaseAfterPaint) release();
      if (abortRef.current === ac) setBusy(false);
    }
  }

  /** A blank field that the model shown first reads is marked at the field; no other blank one is. */
  function markBlank(model: ModelEntry, values: Values) {
    for (const f of spec.fields) if (form.getFieldState(f.name).error?.type === BLANK) form.clearErrors(f.name);
    for (const name of missingInputs(spec, model, values)) {
      const label = spec.fields.find((f) => f.name === name)?.label ?? name;
      form.setError(name, { type: BLANK, message: blankMessage(label, model) });
    }
  }

  function onSubmit(e?: React.BaseSyntheticEvent) {
    // From the click: the checks run before predict() takes its own hold. Valid values hand over
    // as soon as predict() holds (it waits on the gate itself); failed checks or an error, at the end.
    const release = gate.hold();
    return form
      .handleSubmit(
        (values) => {
          setReopened(null);
          const done = predict(values, selected, true);
          release();
          return done;
        },
        () => setState(null),
      )(e)
      .finally(release);
  }

  function reopen(r: SavedPrediction) {
    const model = models.find((m) => m.id === r.model.id) ?? selected;
    setSelectedId(model?.id ?? null);
    setReopened(r);
    setPatientRef(r.reference);
    form.reset(toFormText(spec.fields, r.inputs, settingsRef.current));
    void predict(r.inputs, model, false, false);
  }

  // A record re-opened from the History view: its values in the form, its model, and a fresh prediction.
  useEffect(() => {
    if (!ready) return;
    const r = takeReopen(domain);
    if (r) void Promise.resolve().then(() => reopen(r));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, when the models are ready
  }, [ready]);

  /** The record's values in the form, blanks where it holds none; nothing is predicted until the user asks. */
  function readRecordIntoForm(r: Extract<RecordResult, { ok: true }>) {
    abortRef.current?.abort();
    setState(null);
    setReopened(null);
    setRecord(r);
    form.reset(toFormText(spec.fields, r.reading.values, settingsRef.current));
  }
  useSmartReturn(spec, (r) => (r.ok ? readRecordIntoForm(r) : setRecordError(r.error)));

  function applyPreset(values: Values) {
    form.reset(toFormText(spec.fields, values, settings));
    void onSubmit();
  }

  /** Keep what was typed as the same quantity: a valid value is rewritten in the new unit or format. */
  async function rewrite(next: InputSettings, names: readonly string[]) {
    const { parseFormInput } = await formInput();
    const fields = spec.fields.filter((f) => names.includes(f.name));
    for (const f of fields) {
      const r = parseFormInput([f], { [f.name]: form.getValues(f.name) }, settings);
      if (r.ok && r.values[f.name] !== undefined) form.setValue(f.name, toFormText([f], r.values, next)[f.name]!);
    }
  }
  function changeUnit(field: string, unitId: string) {
    void rewrite({ format, units: { ...units, [field]: unitId } }, [field]);
    setUnit(field, unitId);
    form.clearErrors(field);
  }
  function changeFormat(f: NumberFormat) {
    void rewrite(
      { format: f, units },
      spec.fields.map((x) => x.name),
    );
    setFormat(f);
    form.clearErrors();
  }

  // Stable, so the memoised result panel is not drawn again for a render of the form alone.
  const changeRef = useCallback((s: string) => {
    setPatientRef(s);
    if (savedRef.current) void setReference(savedRef.current, s.trim());
  }, []);

  const errors = form.formState.errors;
  const errorList = Object.entries(errors)
    .map(([name, e]) => ({ name, message: e?.message }))
    .filter((e): e is { name: string; message: string } => typeof e.message === 'string');
  const defaultModel = models.find((m) => m.default) ?? null;
  const defaultReads = defaultModel
    ? inputsRead(
        spec,
        defaultModel.id,
        defaultModel.features.map((f) => f.name),
      )
    : [];

  return (
    <>
      <div className="predict-layout">
        <section aria-labelledby="form-title" className="panel predict-form">
          <h1 id="form-title">
            {spec.nav.predict}: {spec.title.toLowerCase()} risk
          </h1>
          <p className="lede">
            <RichText text={spec.formIntro} />
          </p>
          {defaultModel && defaultReads.length < spec.fields.length && (
            <p className="muted small" data-testid="reads-note">
              The default model predicts from {defaultReads.map((n) => spec.fields.find((f) => f.name === n)?.label ?? n).join(', ')}; the other
              values may stay blank.
            </p>
          )}
          <div className="presets" role="group" aria-label="Examples">
            <span>Examples:</span>
            {spec.presets.map((p) => (
              <button key={p.id} type="button" className="secondary" onClick={() => applyPreset(p.values)} disabled={!ready}>
                {p.label}
              </button>
            ))}
          </div>
          <details className="settings">
            <summary>
              Units and number format: {format === 'comma' ? 'decimal comma' : 'decimal point'}
              {shown
                .filter((f) => (f.units?.length ?? 0) > 0)
                .map((f) => `; ${f.label.toLowerCase()} in ${f.unit}`)
                .join('')}
            </summary>
            <NumberFormatChoice value={format} onChange={(f) => f !== 'auto' && changeFormat(f)} />
            <UnitChoices fields={spec.fields} units={units} onChange={changeUnit} idPrefix={domain} />
            <p className="muted small">Remembered in this browser. The models always receive their own units; values are converted.</p>
          </details>
          {hasFhirMapping(spec) && <RecordPanel domain={spec} onRead={readRecordIntoForm} error={recordError} onError={setRecordError} />}
          {record && <RecordSources domain={spec} reading={record.reading} from={record.from} />}
          <form onSubmit={onSubmit} noValidate aria-describedby={errorList.length ? 'form-errors' : undefined}>
            {errorList.length > 0 && (
              <div id="form-errors" className="error-summary" role="alert" tabIndex={-1}>
                <h2>Please correct {errorList.length === 1 ? 'this value' : `these ${errorList.length} values`}</h2>
                <ul>
                  {errorList.map((e) => (
                    <li key={e.name}>
                      <a
                        href={`#${domain}-${e.name}`}
                        onClick={(ev) => {
                          ev.preventDefault();
                          form.setFocus(e.name);
                        }}
                      >
                        {e.message}
                      </a>
                    </li>
                  ))}
                </ul>
              </div>
            )}
            <div className="fields">
              {shown.map((f) => (
                <FieldInput
                  key={f.name}
                  spec={f}
                  register={form.register}
                  error={errors[f.name]?.message}
                  idPrefix={domain}
                  note={f.formNote}
                  format={format}
                />
              ))}
            </div>
            <fieldset className="model-choice">
              <legend>Model shown first</legend>
              {models.map((m) => (
                <label key={m.id}>
                  <input
                    type="radio"
                    name={`${domain}-model`}
                    value={m.id}
                    checked={selected?.id === m.id}
                    onChange={() => {
                      setSelectedId(m.id);
                      if (state) void predict(state.values, m, false);
                    }}
                  />{' '}
                  {m.title} <code>{m.id}</code>
                  {m.default ? ' (default)' : ''}
                </label>
              ))}
              {!ready && <p>Loading models…</p>}
            </fieldset>
            <SaveOptIn />
            <div className="actions">
              <button type="submit" disabled={!ready || busy}>
                Predict
              </button>
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  form.reset(blank(spec.fields));
                  setState(null);
                  setRecord(null);
                }}
              >
                Clear
              </button>
            </div>
          </form>
        </section>
        <section ref={resultRef} aria-labelledby="result-title" className="panel predict-result" aria-live="polite" aria-busy={busy}>
          <h2 id="result-title">Result</h2>
          {runError && (
            <p className="field-error" role="alert">
              The prediction failed: {runError}
            </p>
          )}
          {state && reopened && <ReopenNote record={reopened} outcomes={state.outcomes} />}
          {state && selected ? (
            <>
              <ResultPanel domain={spec} state={state} selected={selected} patientRef={patientRef} onPatientRef={changeRef} gate={gate} />
              {hasFhirMapping(spec) && <FhirDownload domain={spec} state={state} selected={selected} reading={record?.reading ?? null} />}
            </>
          ) : (
            <p className="muted">Fill in the form or pick an example to see a prediction.</p>
          )}
        </section>
      </div>
      {state && selected && <PrintReport domain={spec} state={state} selected={selected} patientRef={patientRef} gate={gate} />}
    </>
  );
}

function blank(fields: readonly { name: string }[]): FormValues {
  return Object.fromEntries(fields.map((f) => [f.name, '']));
}
