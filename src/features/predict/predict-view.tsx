import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useForm, type Resolver } from 'react-hook-form';
import { FieldInput } from '@/components/ui/field-input';
import { RichText } from '@/components/ui/rich-text';
import { getDomain, type DomainSpec } from '@/domain/domains';
import { errorMessage, isAbortError } from '@/domain/errors';
import { objectSchema, type Values } from '@/domain/fields';
import type { DomainId, ModelEntry } from '@/domain/manifest';
import { useDomainModels, useInference } from '@/inference/use-inference';
import { explain } from './explain';
import type { ModelOutcome, PredictionState } from './prediction-state';
import { ResultPanel } from './result-panel';

type FormValues = Record<string, string>;

// Fields declared optional in the form (heart's `time`) may stay blank: only the models that read them need them.
const formSchemas = new Map<string, ReturnType<typeof objectSchema>>();
function formSchema(spec: DomainSpec) {
  let s = formSchemas.get(spec.id);
  if (!s) {
    const optional = spec.fields.filter((f) => f.optionalInForm).map((f) => f.name);
    formSchemas.set(spec.id, (s = objectSchema(spec.fields, { strict: false, optional })));
  }
  return s;
}

function blank(spec: DomainSpec): FormValues {
  return Object.fromEntries(spec.fields.map((f) => [f.name, '']));
}

function missingInputs(model: ModelEntry, values: Values): string[] {
  return model.features.map((f) => f.name).filter((n) => values[n] === undefined);
}

/**
 * `children` go last in the page grid (full width): the app shell puts the seed JSON panel
 * there, since one feature does not import another.
 */
export function PredictView({ domain, children }: { domain: DomainId; children?: ReactNode }) {
  const spec = getDomain(domain);
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
    resolver: zodResolver(formSchema(spec) as never) as unknown as Resolver<FormValues, unknown, Values>,
    defaultValues: blank(spec),
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
      if (!isAbortError(e)) setRunError(errorMessage(e));
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
        <h1 id="form-title">
          {spec.nav.predict}: {spec.title.toLowerCase()} risk
        </h1>
        <p className="lede">
          <RichText text={spec.formIntro} />
        </p>
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
                note={f.formNote}
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
            <button type="button" className="secondary" onClick={() => { form.reset(blank(spec)); setState(null); }}>
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
      {children}
    </div>
  );
}
