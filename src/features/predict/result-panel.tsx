import { lazy, memo, Suspense, useMemo, useState } from 'react';
import { flushSync } from 'react-dom';
import type { FollowUpGate } from '@/components/ui/follow-up-gate';
import { num, pct, riskPct } from '@/components/ui/format';
import { saveBlob } from '@/components/ui/save-file';
import { ThresholdControl } from '@/components/ui/threshold-control';
import { useLaterPart } from '@/components/ui/use-after-paint';
import { riskBand, type DomainSpec } from '@/domain/domain-spec';
import type { FieldSpec } from '@/domain/field-spec';
import { describeNumberFormat, enteredUnits } from '@/domain/form-text';
import type { ModelEntry } from '@/domain/manifest';
import { isPositive } from '@/domain/model-list';
import { useCutoff, type CutoffChoice } from '@/storage/use-cutoff';
import { useSavingEnabled } from '@/storage/use-saved-predictions';
import type { Contribution } from './explain';
import { outcomeWords, readSet } from './model-inputs';
import type { ModelOutcome, PredictionState } from './prediction-state';
import { SimilarCases } from './similar-cases';
import { evidenceForDownload } from './similar-cases-data';

// recharts is a large dependency: it loads after the first result, not with the page.
const ProbabilityChart = lazy(() => import('./result-charts').then((m) => ({ default: m.ProbabilityChart })));
const ComparisonChart = lazy(() => import('./result-charts').then((m) => ({ default: m.ComparisonChart })));
const ExplanationChart = lazy(() => import('./result-charts').then((m) => ({ default: m.ExplanationChart })));
const WhatIfCurves = lazy(() => import('./what-if-curves').then((m) => ({ default: m.WhatIfCurves })));

/** Notes on the values the model reads (a value it does not read changes nothing, so it gets no note). */
function rangeNotes(model: ModelEntry, values: Record<string, number>, fields: readonly FieldSpec[], read: ReadonlySet<string>): string[] {
  const notes: string[] = [];
  for (const f of model.features) {
    const v = values[f.name];
    if (v === undefined || !read.has(f.name)) continue;
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

// Memoised: the form's own renders (its checks, its errors) do not draw the result again.
export const ResultPanel = memo(function ResultPanel({
  domain,
  state,
  selected,
  patientRef,
  onPatientRef,
  gate,
}: {
  domain: DomainSpec;
  state: PredictionState;
  selected: ModelEntry;
  patientRef: string;
  onPatientRef: (s: string) => void;
  /** Held while a newer prediction is on its way: this result's charts wait, then give way to it. */
  gate: FollowUpGate;
}) {
  const main = state.outcomes.find((o) => o.model.id === selected.id);
  const notes = rangeNotes(selected, state.values, domain.fields, readSet(domain, selected));
  // The words and numbers commit at once; the charts, similar patients and the comparison (the
  // slow part) follow once that frame has been painted, the first result's too, so a result is on
  // screen within a frame of its probabilities.
  const deferred = useLaterPart(state, gate);
  const dMain = deferred?.outcomes.find((o) => o.model.id === selected.id);
  const ran = main && main.skipped === undefined ? main : null;
  const choice = useCutoff(selected);
  const [keeping] = useSavingEnabled();
  return (
    <div className="result" data-result-seq={state.seq} data-run-ms={ran ? ran.runMs.toFixed(4) : undefined}>
      {ran ? (
        <Verdict domain={domain} selected={selected} p1={ran.p1} choice={choice} />
      ) : (
        <p className="field-error">
          {selected.title} cannot run on these values: {main?.skipped}
        </p>
      )}
      {dMain && dMain.skipped === undefined && selected.evidence && <SimilarCases evidence={selected.evidence} p1={dMain.p1} />}
      <ReportActions
        id={`${domain.id}-patient-ref`}
        keeping={keeping}
        patientRef={patientRef}
        onPatientRef={onPatientRef}
        canPrint={!!ran}
        onSave={() => saveResult(domain, state, selected.id, choice.threshold)}
      />
      {dMain && dMain.skipped === undefined && (
        <Suspense fallback={<p className="muted">Loading chart…</p>}>
          <ProbabilityChart p1={dMain.p1} model={choice.changed ? { ...selected, threshold: choice.threshold } : selected} />
        </Suspense>
      )}
      <ThresholdControl model={selected} choice={choice} deferred />
      {notes.length > 0 && <InputNotes notes={notes} />}
      {deferred?.contributions && <Explanation contributions={deferred.contributions} />}
      {deferred && dMain && dMain.skipped === undefined && (
        <Suspense fallback={null}>
          <WhatIfCurves
            domain={domain}
            model={selected}
            values={deferred.values}
            p1={dMain.p1}
            threshold={choice.threshold}
            seq={deferred.seq}
            gate={gate}
          />
        </Suspense>
      )}
      {deferred && <ModelComparison outcomes={deferred.outcomes} selected={selected} domain={domain} />}
    </div>
  );
});

/** The risk in words and numbers, its band, and where it stands against the alert threshold. */
function Verdict({ domain, selected, p1, choice }: { domain: DomainSpec; selected: ModelEntry; p1: number; choice: CutoffChoice }) {
  const band = riskBand(domain.outcome, p1);
  const flagged = isPositive(p1, choice.threshold);
  return (
    <div className={`verdict ${flagged ? 'verdict-pos' : 'verdict-neg'}`}>
      <p>Risk of {outcomeWords(domain, selected)}:</p>
      <p className="verdict-risk">
        <strong data-testid="probability" data-p={p1}>
          {riskPct(p1)}
        </strong>
        {band ? (
          <span data-testid="predicted-class"> {band.label} risk</span>
        ) : (
          <span data-testid="predicted-class"> {selected.class_labels[flagged ? 1 : 0]}</span>
        )}
      </p>
      {band?.note && <p>{capitalise(band.note)}.</p>}
      <p className="muted small">
        {flagged ? 'At or above' : 'Below'} {choice.changed ? 'the alert threshold you chose' : "this model's alert threshold"} of{' '}
        {riskPct(choice.threshold)}
        {choice.changed ? ` (changed from the default ${pct(selected.threshold, 1)})` : ''}. Model: {selected.title} <code>{selected.id}</code>{' '}
        version <span data-testid="result-model-version">{selected.version}</span>. <a href="#/models">Model card and limitations</a>
      </p>
    </div>
  );
}

/** The range notes on the values read, as a list. */
function InputNotes({ notes }: { notes: readonly string[] }) {
  return (
    <ul className="notes" aria-label="Notes on the inputs">
      {notes.map((n) => (
        <li key={n}>{n}</li>
      ))}
    </ul>
  );
}

/** The patient reference for the printout, Print, and the result as a file. */
function ReportActions(props: {
  id: string;
  keeping: boolean;
  patientRef: string;
  onPatientRef: (s: string) => void;
  canPrint: boolean;
  onSave: () => void;
}) {
  return (
    <div className="report-actions">
      <label htmlFor={props.id}>Patient reference for the printout {props.keeping ? 'and the history on this computer' : '(not stored)'}</label>
      <input id={props.id} type="text" autoComplete="off" value={props.patientRef} onChange={(e) => props.onPatientRef(e.target.value)} />
      <p className="actions">
        <button type="button" onClick={() => printReport()} disabled={!props.canPrint}>
          Print / Save as PDF
        </button>
        <button type="button" className="secondary" onClick={props.onSave}>
          Download this result (JSON)
        </button>
      </p>
    </div>
  );
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The print dialog; the report (print-report.tsx) shows only in print, stamped with the time now. */
function printReport() {
  flushSync(() => window.dispatchEvent(new Event('prognos:before-print')));
  window.print();
}

/** The inputs and every model's output, with versions and units, as a file the user keeps. */
function saveResult(domain: DomainSpec, state: PredictionState, selectedId: string, chosen: number) {
  const thresholdOf = (m: ModelEntry) => (m.id === selectedId ? chosen : m.threshold);
  const body = {
    created: new Date().toISOString(),
    domain: domain.id,
    inputs: state.values,
    // The inputs above are in the models' units; these are the units and format they were typed in.
    input_units: Object.fromEntries(domain.fields.filter((f) => f.unit && f.kind !== 'yes-no' && f.kind !== 'sex').map((f) => [f.name, f.unit])),
    entered_in: { number_format: describeNumberFormat(state.entered.format), units: enteredUnits(domain.fields, state.entered.units) },
    predictions: state.outcomes.map((o) =>
      o.skipped === undefined
        ? {
            model: o.model.id,
            model_version: o.model.version,
            model_sha256: o.model.sha256,
            probability: o.p1,
            class: o.model.class_labels[isPositive(o.p1, thresholdOf(o.model)) ? 1 : 0],
            threshold: thresholdOf(o.model),
            threshold_changed: thresholdOf(o.model) !== o.model.threshold,
            default_threshold: o.model.threshold,
            ...evidenceForDownload(o.model, o.p1),
          }
        : { model: o.model.id, model_version: o.model.version, not_run: o.skipped },
    ),
  };
  saveBlob(
    new Blob([JSON.stringify(body, null, 2)], { type: 'application/json' }),
    `prognos-${domain.id}-${body.created.slice(0, 19).replace(/[:T]/g, '-')}.json`,
  );
}

/** Every model of the domain on the same input: one click away, not competing with the result. */
function ModelComparison({ outcomes, selected, domain }: { outcomes: ModelOutcome[]; selected: ModelEntry; domain: DomainSpec }) {
  const [open, setOpen] = useState(false);
  const chartData = useMemo(
    () =>
      outcomes
        .filter((o) => o.skipped === undefined)
        .map((o) => ({ id: o.model.id, p: (o as { p1: number }).p1 * 100, threshold: o.model.threshold * 100 })),
    [outcomes],
  );
  const def = outcomes.find((o) => o.model.default)?.model;
  return (
    <section aria-labelledby={`${domain.id}-compare-title`} className="comparison">
      <h3 id={`${domain.id}-compare-title`}>Other models</h3>
      <p className="muted small" data-testid="models-differ">
        {domain.outcome?.modelsDiffer ?? 'The models were fitted differently and read different inputs, so their figures differ.'}{' '}
        {def && (
          <>
            Default: <code>{def.id}</code>.
          </>
        )}
      </p>
      <details onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>Compare all {outcomes.length} models on these values</summary>
        {open && (
          <Suspense fallback={null}>
            <ComparisonChart data={chartData} selectedId={selected.id} positive="Risk" />
          </Suspense>
        )}
        <table className="table table-reflow" aria-label="Predictions of every model">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Risk</th>
              <th scope="col">Alert threshold</th>
            </tr>
          </thead>
          <tbody>
            {outcomes.map((o) => (
              <tr
                key={o.model.id}
                className={o.model.id === selected.id ? 'row-selected' : undefined}
                aria-current={o.model.id === selected.id ? 'true' : undefined}
              >
                <th scope="row">
                  {o.model.title} <code>{o.model.id}</code>
                  {o.model.default ? ' (default)' : ''}
                </th>
                {o.skipped === undefined ? (
                  <td data-testid={`p-${o.model.id}`} data-p={o.p1} data-label="Risk">
                    {riskPct(o.p1)}
                    {isPositive(o.p1, o.model.threshold) ? ' (at or above threshold)' : ''}
                  </td>
                ) : (
                  <td className="muted" data-label="Risk">
                    Not run: {o.skipped}
                  </td>
                )}
                <td data-label="Alert threshold">{pct(o.model.threshold, 1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

function Explanation({ contributions }: { contributions: Contribution[] }) {
  // Half a hundredth of a percentage point is below what the chart can show.
  const top = useMemo(() => contributions.filter((c) => Math.abs(c.delta) >= 5e-5).slice(0, 8), [contributions]);
  const still = contributions.filter((c) => Math.abs(c.delta) < 5e-5).map((c) => c.label);
  return (
    <section aria-labelledby="explain-title">
      <h3 id="explain-title">What moved this prediction</h3>
      <p className="muted">
        Change in the risk when one input the model reads is replaced by the training median; positive bars pushed the risk up. A local, one-at-a-time
        view, not a causal effect.
      </p>
      {top.length > 0 && (
        <Suspense fallback={null}>
          <ExplanationChart contributions={top} />
        </Suspense>
      )}
      {still.length > 0 && <p className="muted small">No effect at these values: {still.join(', ')}.</p>}
      <ul className="sr-only" aria-label="Contributions">
        {top.map((c) => (
          <li key={c.name}>
            {c.label}: {c.delta >= 0 ? '+' : ''}
            {(c.delta * 100).toFixed(1)} percentage points
          </li>
        ))}
      </ul>
    </section>
  );
}
