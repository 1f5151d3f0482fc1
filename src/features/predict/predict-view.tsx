import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useRef, useState } from 'react';
import { useForm, type Resolver } from 'react-hook-form';
import { FieldInput } from '@/components/ui/field-input';
import { domains } from '@/domain/domains';
import { objectSchema, type Values } from '@/domain/fields';
import { HEART_TIME_FIELD } from '@/domain/heart';
import type { DomainId, ModelEntry } from '@/domain/manifest';
import { explain, type Contribution } from './explain';
import { ResultPanel, type ModelOutcome } from './result-panel';
import { SeedJsonPanel } from '@/features/seed-json/seed-json-panel';
import { useDomainModels, useInference } from '@/inference/use-inference';

type FormValues = Record<string, string>;

export interface PredictionState {
  values: Values;
  outcomes: ModelOutcome[];
  contributions: Contribution[] | null;
  /** Increments with every result: lets the benchmark see a new render. */
  seq: number;
}

// In the heart form, `time` may stay blank: only the seed-compatible model needs it.
const formSchemas = {
  heart: objectSchema(domains.heart.fields, { strict: false, optional: [HEART_TIME_FIELD] }),
  device: objectSchema(domains.device.fields, { strict: false }),
};

function blank(domain: DomainId): FormValues {
  return Object.fromEntries(domains[domain].fields.map((f) => [f.name, '']));
}

function missingInputs(model: ModelEntry, values: Values): string[] {
  return model.features.map((f) => f.name).filter((n) => values[n] === undefined);
}

export function PredictView({ domain }: { domain: DomainId }) {
  const spec = domains[domain];
  const inference = useInference();
  const { models, errors: modelErrors, ready } = useDomainModels(domain);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = models.find((m) => m.id === selectedId) ?? models[0] ?? null;
  const [state, setState] = useState<PredictionState | null>(null);
  const [runError, setRunError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const abortRef = useRef<AbortController | null>(null);
  const seqRef = useRef(0);
  // Leaving the view: stop waiting for a prediction still on its way.
  useEffect(() => () => abortRef.current?.abort(), []);

  const form = useForm<FormValues, unknown, Values>({
    resolver: zodResolver(formSchemas[domain] as never) as unknown as Resolver<FormValues, unknown, Values>,
    defaultValues: blank(domain),
    reValidateMode: 'onChange',
  });

  async function predict(values: Values, model: ModelEntry | null) {
    if (!model) return;
    abortRef.current?.abort();
    const ac = new AbortController();
    abortRef.current = ac;
    setBusy(true);
    setRunError(null);
    try {
      const runnable = models.filter((m) => !modelErrors[m.id] && missingInputs(m, values).length === 0);
      const preds = await inference.predict(
        runnable.map((m) => m.id),
        [values],
        { signal: ac.signal },
      );
      const outcomes: ModelOutcome[] = models.map((m) => {
        const p = preds.find((x) => x.modelId === m.id);
        if (p) return { model: m, p1: p.p1[0]!, label: p.labels[0]!, runMs: p.runMs };
        const reason = modelErrors[m.id]
          ? `unavailable: ${modelErrors[m.id]}`
          : `needs ${missingInputs(m, values).map((n) => spec.fields.find((f) => f.name === n)?.label ?? n).join(', ')}`;
        return { model: m, skipped: reason };
      });
      const seq = ++seqRef.current;
      setState({ values, outcomes, contributions: null, seq });
      const main = outcomes.find((o) => o.model.id === model.id);
      if (main && main.skipped === undefined) {
        const contributions = await explain(inference, model, values, main.p1, spec.fields, ac.signal);
        setState({ values, outcomes, contributions, seq });
      }
    } catch (e) {
      if ((e as Error).name !== 'AbortError') setRunError((e as Error).message);
    } finally {
      if (abortRef.current === ac) setBusy(false);
    }
  }

  function onSubmit(e?: React.BaseSyntheticEvent) {
    return form.handleSubmit(
      (values) => predict(values, selected),
      () => setState(null),
    )(e);
  }

  function applyPreset(values: Values) {
    const asText = Object.fromEntries(spec.fields.map((f) => [f.name, values[f.name] === undefined ? '' : String(values[f.name])]));
    form.reset(asText);
    void onSubmit();
  }

  const errors = form.formState.errors;
  const errorList = Object.entries(errors)
    .map(([name, e]) => ({ name, message: e?.message }))
    .filter((e): e is { name: string; message: string } => typeof e.message === 'string');

  return (
    <div className="predict-layout">
      <section aria-labelledby="form-title" className="panel">
        <h1 id="form-title">{domain === 'heart' ? 'Patient' : 'Device'}: {spec.title.toLowerCase()} risk</h1>
        {domain === 'heart' ? (
          <p className="lede">
            Enter the patient&apos;s values from the visit. The default model, <strong>heart-baseline</strong>, does not
            use the follow-up period: that is known only after the outcome. Only the seed-compatible model{' '}
            <strong>heart-rf-seed</strong> (the service Prognos replaces) uses <code>time</code>; leave it blank at a
            visit.
          </p>
        ) : (
          <p className="lede">Enter one day&apos;s telemetry of one device (metric N is the data&apos;s attribute N).</p>
        )}
        <div className="presets" role="group" aria-label="Examples">
          <span>Examples:</span>
          {spec.presets.map((p) => (
            <button key={p.id} type="button" className="secondary" onClick={() => applyPreset(p.values)} disabled={!ready}>
              {p.label}
            </button>
          ))}
        </div>
        <form onSubmit={onSubmit} noValidate aria-describedby={errorList.length ? 'form-errors' : undefined}>
          {errorList.length > 0 && (
            <div id="form-errors" className="error-summary" role="alert" tabIndex={-1}>
              <h2>Please correct {errorList.length === 1 ? 'this value' : `these ${errorList.length} values`}</h2>
              <ul>
                {errorList.map((e) => (
                  <li key={e.name}>
                    <a href={`#${domain}-${e.name}`} onClick={(ev) => { ev.preventDefault(); form.setFocus(e.name); }}>
                      {e.message}
                    </a>
                  </li>
                ))}
              </ul>
            </div>
          )}
          <div className="fields">
            {spec.fields.map((f) => (
              <FieldInput
                key={f.name}
                spec={f}
                register={form.register}
                error={errors[f.name]?.message}
                idPrefix={domain}
                note={domain === 'heart' && f.name === HEART_TIME_FIELD ? 'optional; seed-compatible model only' : undefined}
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
                    if (state) void predict(state.values, m);
                  }}
                />{' '}
                {m.title} <code>{m.id}</code>
                {m.default ? ' (default)' : ''}
              </label>
            ))}
            {!ready && <p>Loading models…</p>}
          </fieldset>
          <div className="actions">
            <button type="submit" disabled={!ready || busy}>
              Predict
            </button>
            <button type="button" className="secondary" onClick={() => { form.reset(blank(domain)); setState(null); }}>
              Clear
            </button>
          </div>
        </form>
      </section>
      <section aria-labelledby="result-title" className="panel" aria-live="polite" aria-busy={busy}>
        <h2 id="result-title">Result</h2>
        {runError && (
          <p className="field-error" role="alert">
            The prediction failed: {runError}
          </p>
        )}
        {state && selected ? (
          <ResultPanel domain={domain} state={state} selected={selected} fields={spec.fields} />
        ) : (
          <p className="muted">Fill in the form or pick an example to see a prediction.</p>
        )}
      </section>
      <SeedJsonPanel domain={domain} />
    </div>
  );
}
