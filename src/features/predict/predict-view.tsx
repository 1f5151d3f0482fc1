import { useCallback, useEffect, useState } from 'react';
import { FieldInput } from '@/components/ui/field-input';
import type { FollowUpGate } from '@/components/ui/follow-up-gate';
import { SaveOptIn } from '@/components/ui/save-opt-in';
import type { DomainSpec } from '@/domain/domain-spec';
import { getDomain } from '@/domain/domains';
import type { RecordReading } from '@/domain/fhir/read';
import type { DomainId, ModelEntry } from '@/domain/manifest';
import type { SavedPrediction } from '@/domain/saved-prediction';
import { useDomainModels } from '@/inference/use-inference';
import { setReference, takeReopen } from '@/storage/saved-predictions';
import { useCutoff } from '@/storage/use-cutoff';
import { EntrySettings, ErrorSummary, FormIntro, ModelShownFirst } from './predict-form-parts';
import type { PredictionState } from './prediction-state';
import { PrintReport } from './print-report';
import { FhirDownload } from './record/fhir-download';
import { hasFhirMapping, type RecordResult } from './record/record-entry';
import { RecordPanel } from './record/record-panel';
import { RecordSources } from './record/record-sources';
import { useSmartReturn } from './record/use-smart-return';
import { ReopenNote } from './reopen-note';
import { ResultPanel } from './result-panel';
import { blank, useEntryForm } from './use-entry-form';
import { usePrediction } from './use-prediction';

/**
 * The prediction view: the form (use-entry-form.ts, predict-form-parts.tsx) and the result of
 * every model that can run on its values (use-prediction.ts, result-panel.tsx).
 */
export function PredictView({ domain }: { domain: DomainId }) {
  const spec = getDomain(domain);
  const { models, errors: modelErrors, ready } = useDomainModels(domain);
  const entry = useEntryForm(domain, spec);
  const { form } = entry;
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = models.find((m) => m.id === selectedId) ?? models[0] ?? null;
  const [patientRef, setPatientRef] = useState('');
  const choice = useCutoff(selected);
  const run = usePrediction({ spec, models, modelErrors, entry, threshold: choice.threshold, patientRef });
  const { state, gate } = run;
  // A saved prediction re-opened from the History view.
  const [reopened, setReopened] = useState<SavedPrediction | null>(null);
  // A record read into the form (FHIR): where each value came from; a refusal leaves the form as it was.
  const [record, setRecord] = useState<Extract<RecordResult, { ok: true }> | null>(null);
  const [recordError, setRecordError] = useState<string | null>(null);

  function onSubmit(e?: React.BaseSyntheticEvent) {
    // From the click: the checks run before predict() takes its own hold. Valid values hand over
    // as soon as predict() holds (it waits on the gate itself); failed checks or an error, at the end.
    const release = gate.hold();
    return form
      .handleSubmit(
        (values) => {
          setReopened(null);
          const done = run.predict(values, selected, true);
          release();
          return done;
        },
        () => run.setState(null),
      )(e)
      .finally(release);
  }

  function reopen(r: SavedPrediction) {
    const model = models.find((m) => m.id === r.model.id) ?? selected;
    setSelectedId(model?.id ?? null);
    setReopened(r);
    setPatientRef(r.reference);
    entry.fill(r.inputs);
    void run.predict(r.inputs, model, false, false);
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
    run.clear();
    setReopened(null);
    setRecord(r);
    entry.fill(r.reading.values);
  }
  useSmartReturn(spec, (r) => (r.ok ? readRecordIntoForm(r) : setRecordError(r.error)));

  // Stable, so the memoised result panel is not drawn again for a render of the form alone.
  const { savedRef } = run;
  const changeRef = useCallback(
    (s: string) => {
      setPatientRef(s);
      if (savedRef.current) void setReference(savedRef.current, s.trim());
    },
    [savedRef],
  );

  const errors = form.formState.errors;
  const errorList = Object.entries(errors)
    .map(([name, e]) => ({ name, message: e?.message }))
    .filter((e): e is { name: string; message: string } => typeof e.message === 'string');

  return (
    <>
      <div className="predict-layout">
        <section aria-labelledby="form-title" className="panel predict-form">
          <FormIntro
            spec={spec}
            models={models}
            ready={ready}
            onExample={(values) => {
              entry.fill(values);
              void onSubmit();
            }}
          />
          <EntrySettings domain={domain} spec={spec} entry={entry} />
          {hasFhirMapping(spec) && <RecordPanel domain={spec} onRead={readRecordIntoForm} error={recordError} onError={setRecordError} />}
          {record && <RecordSources domain={spec} reading={record.reading} from={record.from} />}
          <form onSubmit={onSubmit} noValidate aria-describedby={errorList.length ? 'form-errors' : undefined}>
            <ErrorSummary domain={domain} errors={errorList} onFocus={(name) => form.setFocus(name)} />
            <div className="fields">
              {entry.shown.map((f) => (
                <FieldInput
                  key={f.name}
                  spec={f}
                  register={form.register}
                  error={errors[f.name]?.message}
                  idPrefix={domain}
                  note={f.formNote}
                  format={entry.format}
                />
              ))}
            </div>
            <ModelShownFirst
              domain={domain}
              models={models}
              selected={selected}
              ready={ready}
              onSelect={(m) => {
                setSelectedId(m.id);
                if (state) void run.predict(state.values, m, false);
              }}
            />
            <SaveOptIn />
            <div className="actions">
              <button type="submit" disabled={!ready || run.busy}>
                Predict
              </button>
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  form.reset(blank(spec.fields));
                  run.setState(null);
                  setRecord(null);
                }}
              >
                Clear
              </button>
            </div>
          </form>
        </section>
        <ResultSection
          {...{ state, gate, busy: run.busy, runError: run.runError, resultRef: run.resultRef }}
          domain={spec}
          selected={selected}
          reopened={reopened}
          patientRef={patientRef}
          onPatientRef={changeRef}
          reading={record?.reading ?? null}
        />
      </div>
      {state && selected && <PrintReport domain={spec} state={state} selected={selected} patientRef={patientRef} gate={gate} />}
    </>
  );
}

/** The result of the last prediction (or why there is none), live for screen readers. */
function ResultSection({
  state,
  gate,
  busy,
  runError,
  resultRef,
  domain,
  selected,
  reopened,
  patientRef,
  onPatientRef,
  reading,
}: {
  state: PredictionState | null;
  gate: FollowUpGate;
  busy: boolean;
  runError: string | null;
  resultRef: React.RefObject<HTMLElement | null>;
  domain: DomainSpec;
  selected: ModelEntry | null;
  reopened: SavedPrediction | null;
  patientRef: string;
  onPatientRef: (s: string) => void;
  reading: RecordReading | null;
}) {
  return (
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
          <ResultPanel domain={domain} state={state} selected={selected} patientRef={patientRef} onPatientRef={onPatientRef} gate={gate} />
          {hasFhirMapping(domain) && <FhirDownload domain={domain} state={state} selected={selected} reading={reading} />}
        </>
      ) : (
        <p className="muted">Fill in the form or pick an example to see a prediction.</p>
      )}
    </section>
  );
}
