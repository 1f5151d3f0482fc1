import { useCallback, useState } from 'react';
import type { FollowUpGate } from '@/components/ui/follow-up-gate';
import type { DomainSpec } from '@/domain/domain-spec';
import { getDomain } from '@/domain/domains';
import type { RecordReading } from '@/domain/fhir/read';
import type { DomainId, ModelEntry } from '@/domain/manifest';
import type { SavedPrediction } from '@/domain/saved-prediction';
import { useDomainModels } from '@/inference/use-inference';
import { setReference } from '@/storage/saved-predictions';
import { useCutoff } from '@/storage/use-cutoff';
import { EntrySection } from './predict-form';
import { usePredictionState, type PredictionStore } from './prediction-store';
import { PrintReport } from './print-report';
import { FhirDownload } from './record/fhir-download';
import { hasFhirMapping } from './record/record-entry';
import { useRecordReading } from './record/use-record-reading';
import { ReopenNote } from './reopen-note';
import { ResultPanel } from './result-panel';
import { useEntryForm } from './use-entry-form';
import { usePrediction } from './use-prediction';
import { useReopen } from './use-reopen';

/**
 * The prediction view: the form (use-entry-form.ts, predict-form.tsx) and the result of
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
  const { store, gate } = run;
  const [reopened, setReopened] = useReopen({ domain, ready, models, selected, select: setSelectedId, setPatientRef, entry, run });
  const record = useRecordReading(spec, {
    clear: () => {
      run.clear();
      setReopened(null);
    },
    fill: entry.fill,
  });

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
        () => run.store.set(null),
      )(e)
      .finally(release);
  }

  const changeRef = useReferenceChange(setPatientRef, run.savedRef);

  return (
    <>
      <div className="predict-layout">
        <EntrySection
          {...{ domain, spec, entry, models, ready, selected, record, onSubmit }}
          busy={run.busy}
          onSelect={(m) => {
            setSelectedId(m.id);
            const shown = store.get();
            if (shown) void run.predict(shown.values, m, false);
          }}
          onClear={() => {
            entry.clear();
            run.store.set(null);
            record.setRecord(null);
          }}
        />
        <ResultSection
          {...{ store, gate, busy: run.busy, runError: run.runError, resultRef: run.resultRef }}
          domain={spec}
          selected={selected}
          reopened={reopened}
          patientRef={patientRef}
          onPatientRef={changeRef}
          reading={record.record?.reading ?? null}
        />
      </div>
      {selected && <ShownPrintReport domain={spec} store={store} selected={selected} patientRef={patientRef} gate={gate} />}
    </>
  );
}

/** The print copy of the prediction shown, if any. */
function ShownPrintReport({ store, ...props }: Omit<React.ComponentProps<typeof PrintReport>, 'state'> & { store: PredictionStore }) {
  const state = usePredictionState(store);
  return state && <PrintReport state={state} {...props} />;
}

/**
 * The reference typed for the result: the field's value, and the saved prediction's reference with
 * it. Stable, so the memoised result panel is not drawn again for a render of the form alone.
 */
function useReferenceChange(setPatientRef: (s: string) => void, savedRef: { readonly current: string | null }) {
  return useCallback(
    (s: string) => {
      setPatientRef(s);
      if (savedRef.current) void setReference(savedRef.current, s.trim());
    },
    [setPatientRef, savedRef],
  );
}

/** The result of the last prediction (or why there is none), live for screen readers. */
function ResultSection({
  store,
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
  store: PredictionStore;
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
  const state = usePredictionState(store);
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
