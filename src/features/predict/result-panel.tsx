import { lazy, Suspense, useDeferredValue, useMemo } from 'react';
import { pct, num } from '@/components/ui/format';
import { saveBlob } from '@/components/ui/save-file';
import type { FieldSpec } from '@/domain/fields';
import { isPositive, type DomainId, type ModelEntry } from '@/domain/manifest';
import type { ModelOutcome, PredictionState } from './prediction-state';

// recharts is a large dependency: it loads after the first result, not with the page.
const ProbabilityChart = lazy(() => import('./result-charts').then((m) => ({ default: m.ProbabilityChart })));
const ComparisonChart = lazy(() => import('./result-charts').then((m) => ({ default: m.ComparisonChart })));
const ExplanationChart = lazy(() => import('./result-charts').then((m) => ({ default: m.ExplanationChart })));

function rangeNotes(model: ModelEntry, values: Record<string, number>, fields: readonly FieldSpec[]): string[] {
  const notes: string[] = [];
  for (const f of model.features) {
    const v = values[f.name];
    if (v === undefined) continue;
    const spec = fields.find((x) => x.name === f.name);
    if (spec && (spec.kind === 'yes-no' || spec.kind === 'sex')) continue;
    const label = spec?.label ?? f.name;
    const unit = f.unit && f.unit !== 'count' ? ` ${f.unit}` : '';
    if (v < f.min || v > f.max) {
      notes.push(`${label} ${num(v)}${unit} is outside anything seen in training (${num(f.min)}–${num(f.max)}): treat the result with care.`);
    } else if (v < f.p1 || v > f.p99) {
      notes.push(`${label} ${num(v)}${unit} is rarer than 1 in 100 training rows (usual range ${num(f.p1)}–${num(f.p99)}).`);
    }
  }
  return notes;
}

export function ResultPanel({
  domain,
  state,
  selected,
  fields,
}: {
  domain: DomainId;
  state: PredictionState;
  selected: ModelEntry;
  fields: readonly FieldSpec[];
}) {
  const main = state.outcomes.find((o) => o.model.id === selected.id);
  const [neg, pos] = selected.class_labels;
  const notes = rangeNotes(selected, state.values, fields);
  // The words and numbers commit at once; the charts (the slow part) follow in a
  // low-priority render, so a new result is on screen within a frame.
  const deferred = useDeferredValue(state);
  const dMain = deferred.outcomes.find((o) => o.model.id === selected.id);
  const chartData = useMemo(
    () =>
      deferred.outcomes
        .filter((o) => o.skipped === undefined)
        .map((o) => ({ id: o.model.id, p: (o as { p1: number }).p1 * 100, threshold: o.model.threshold * 100 })),
    [deferred.outcomes],
  );
  return (
    <div className="result" data-result-seq={state.seq} data-run-ms={main && main.skipped === undefined ? main.runMs.toFixed(4) : undefined}>
      {main && main.skipped === undefined ? (
        <div className={`verdict ${isPositive(main.p1, selected.threshold) ? 'verdict-pos' : 'verdict-neg'}`}>
          <p>
            <span className="muted">{selected.title}</span>
          </p>
          <p className="verdict-class" data-testid="predicted-class">
            {isPositive(main.p1, selected.threshold) ? pos : neg}
          </p>
          <p>
            Probability of <strong>{pos}</strong>: <strong data-testid="probability">{pct(main.p1)}</strong>{' '}
            <span className="muted">(flagged at {pct(selected.threshold, 1)} or more)</span>
          </p>
          <p className="muted small">
            {selected.intended_use} <a href="#/models">Model card and limitations</a>
          </p>
        </div>
      ) : (
        <p className="field-error">
          {selected.title} cannot run on these values: {main?.skipped}
        </p>
      )}
      {dMain && dMain.skipped === undefined && (
        <Suspense fallback={<p className="muted">Loading chart…</p>}>
          <ProbabilityChart p1={dMain.p1} model={selected} />
        </Suspense>
      )}
      {notes.length > 0 && (
        <ul className="notes" aria-label="Notes on the inputs">
          {notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      <ModelComparison outcomes={state.outcomes} chartData={chartData} selected={selected} domain={domain} />
      {deferred.contributions && <Explanation contributions={deferred.contributions} model={selected} />}
      <p>
        <button type="button" className="secondary" onClick={() => saveResult(domain, state)}>
          Download this result (JSON)
        </button>
      </p>
    </div>
  );
}

/** The inputs and every model's output, with versions, as a file the user keeps. */
function saveResult(domain: DomainId, state: PredictionState) {
  const body = {
    created: new Date().toISOString(),
    domain,
    inputs: state.values,
    predictions: state.outcomes.map((o) =>
      o.skipped === undefined
        ? {
            model: o.model.id,
            model_version: o.model.version,
            model_sha256: o.model.sha256,
            probability: o.p1,
            class: o.model.class_labels[isPositive(o.p1, o.model.threshold) ? 1 : 0],
            threshold: o.model.threshold,
          }
        : { model: o.model.id, model_version: o.model.version, not_run: o.skipped },
    ),
  };
  saveBlob(
    new Blob([JSON.stringify(body, null, 2)], { type: 'application/json' }),
    `prognos-${domain}-${body.created.slice(0, 19).replace(/[:T]/g, '-')}.json`,
  );
}

function ModelComparison({
  outcomes,
  chartData: data,
  selected,
  domain,
}: {
  outcomes: ModelOutcome[];
  chartData: { id: string; p: number; threshold: number }[];
  selected: ModelEntry;
  domain: DomainId;
}) {
  const pos = selected.class_labels[1];
  return (
    <section aria-labelledby={`${domain}-compare-title`}>
      <h3 id={`${domain}-compare-title`}>All {domain} models on the same input</h3>
      <Suspense fallback={null}>
        <ComparisonChart data={data} selectedId={selected.id} positive={pos} />
      </Suspense>
      <table className="table" aria-label="Predictions of every model">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">P({pos})</th>
            <th scope="col">Class</th>
            <th scope="col">Threshold</th>
          </tr>
        </thead>
        <tbody>
          {outcomes.map((o) => (
            <tr key={o.model.id} className={o.model.id === selected.id ? 'row-selected' : undefined} aria-current={o.model.id === selected.id ? 'true' : undefined}>
              <th scope="row">
                {o.model.title} <code>{o.model.id}</code>
              </th>
              {o.skipped === undefined ? (
                <>
                  <td data-testid={`p-${o.model.id}`}>{pct(o.p1)}</td>
                  <td>{isPositive(o.p1, o.model.threshold) ? o.model.class_labels[1] : o.model.class_labels[0]}</td>
                </>
              ) : (
                <td colSpan={2} className="muted">
                  Not run: {o.skipped}
                </td>
              )}
              <td>{pct(o.model.threshold, 1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Explanation({ contributions, model }: { contributions: { name: string; label: string; delta: number; median: number }[]; model: ModelEntry }) {
  // Half a hundredth of a percentage point is below what the chart can show.
  const top = useMemo(() => contributions.filter((c) => Math.abs(c.delta) >= 5e-5).slice(0, 8), [contributions]);
  const still = contributions.filter((c) => Math.abs(c.delta) < 5e-5).map((c) => c.label);
  const pos = model.class_labels[1];
  return (
    <section aria-labelledby="explain-title">
      <h3 id="explain-title">What moved this prediction</h3>
      <p className="muted">
        Change in P({pos}) when one input is replaced by the training median; positive bars pushed the probability up.
        A local, one-at-a-time view, not a causal effect.
      </p>
      {top.length > 0 && (
        <Suspense fallback={null}>
          <ExplanationChart contributions={top} />
        </Suspense>
      )}
      {still.length > 0 && (
        <p className="muted small">
          No effect here: {still.join(', ')}
          {still.length === contributions.length ? '.' : ' (at these values, or not read by this model).'}
        </p>
      )}
      <ul className="sr-only">
        {top.map((c) => (
          <li key={c.name}>
            {c.label}: {c.delta >= 0 ? '+' : ''}
            {(c.delta * 100).toFixed(2)} percentage points
          </li>
        ))}
      </ul>
    </section>
  );
}
