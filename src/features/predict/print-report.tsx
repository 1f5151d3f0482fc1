import { memo, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { FollowUpGate } from '@/components/ui/follow-up-gate';
import { riskPct } from '@/components/ui/format';
import { useLaterPart } from '@/components/ui/use-after-paint';
import { riskBand, type DomainSpec } from '@/domain/domain-spec';
import { optionsOf, type FieldSpec } from '@/domain/field-spec';
import { describeNumberFormat } from '@/domain/form-text';
import type { ModelEntry } from '@/domain/manifest';
import { isPositive } from '@/domain/model-list';
import { formatNumber, type NumberFormat } from '@/domain/number-format';
import { findUnit, fromModelUnit } from '@/domain/units';
import { useCutoff } from '@/storage/use-cutoff';
import type { Contribution } from './explain';
import { outcomeWords } from './model-inputs';
import type { PredictionState } from './prediction-state';
import { SimilarCases } from './similar-cases';

/**
 * The one-page report for the patient record: shown only when printing (print CSS hides
 * everything else). The patient reference is what the user typed for this printout; it is
 * kept in the page's memory only. Not on screen, so a new result reaches it once the screen shows
 * that result (`gate`, as the charts); printing brings it up to date at once.
 */
export const PrintReport = memo(function PrintReport({
  domain,
  state: latest,
  selected,
  patientRef,
  gate,
}: {
  domain: DomainSpec;
  state: PredictionState;
  selected: ModelEntry;
  patientRef: string;
  gate: FollowUpGate;
}) {
  const { state, printedAt } = usePrintedState(latest, gate);
  if (!state) return null;
  return <ReportBody domain={domain} state={state} selected={selected} patientRef={patientRef} printedAt={printedAt} />;
});

/**
 * The report itself: rendered again only when what it prints changes. A new result re-renders
 * PrintReport at once (its `state`), while the report waits for the gate: without this, the
 * result's first frame rendered the previous report again.
 */
const ReportBody = memo(function ReportBody({
  domain,
  state,
  selected,
  patientRef,
  printedAt,
}: {
  domain: DomainSpec;
  state: PredictionState;
  selected: ModelEntry;
  patientRef: string;
  printedAt: Date;
}) {
  const choice = useCutoff(selected);
  const main = state.outcomes.find((o) => o.model.id === selected.id);
  if (!main || main.skipped !== undefined) return null;
  const band = riskBand(domain.outcome, main.p1);
  const flagged = isPositive(main.p1, choice.threshold);
  const { format, units } = state.entered;
  const top = (state.contributions ?? []).filter((c) => Math.abs(c.delta) >= 5e-4).slice(0, 6);
  // The card's limitations as one paragraph; `code` marks become plain words on paper.
  const limitations = selected.limitations.join(' ').replace(/`([^`]*)`/g, '$1');

  return (
    <article className="print-report" aria-label="Printable report">
      <header>
        <h1>Prognos report: {domain.title.toLowerCase()} risk</h1>
        <p>
          <span>
            Patient reference: <strong data-testid="report-patient">{patientRef.trim() || '—'}</strong>
          </span>
          <span>
            Date and time:{' '}
            <strong>{printedAt.toLocaleString(format === 'comma' ? 'de-DE' : 'en-GB', { dateStyle: 'long', timeStyle: 'short' })}</strong>
          </span>
        </p>
      </header>
      <section>
        <h2>Result</h2>
        <p className="report-risk">
          Risk of {outcomeWords(domain, selected)}: <strong>{riskPct(main.p1)}</strong>
          {band ? ` (${band.label} risk${band.note ? `: ${band.note}` : ''})` : ''}. {flagged ? 'At or above' : 'Below'}{' '}
          {choice.changed ? 'the alert threshold chosen in this browser' : "the model's alert threshold"} of {riskPct(choice.threshold)}
          {choice.changed ? ` (changed from the default ${riskPct(selected.threshold)})` : ''}.
        </p>
        {selected.evidence && <SimilarCases evidence={selected.evidence} p1={main.p1} compact />}
        <p className="small">
          Model <strong>{selected.id}</strong> version {selected.version} ({selected.title}); SHA-256 <code>{selected.sha256}</code>.
        </p>
      </section>
      <section>
        <h2>Inputs</h2>
        <dl className="report-inputs">
          {domain.fields.map((f) => (
            <div key={f.name}>
              <dt>{f.label}</dt>
              <dd>{inputText(f, state.values[f.name], units[f.name], format)}</dd>
            </div>
          ))}
        </dl>
        <p className="small">Numbers written with a {describeNumberFormat(format)}.</p>
      </section>
      {top.length > 0 && <ReportContributions top={top} />}
      <section>
        <h2>Limitations</h2>
        <p className="small">{limitations}</p>
      </section>
    </article>
  );
});

/**
 * The prediction to print and when: the result the screen shows (after `gate`), or the latest at
 * once when printing starts, stamped with that time.
 */
function usePrintedState(latest: PredictionState, gate: FollowUpGate) {
  const [printedAt, setPrintedAt] = useState(() => new Date());
  const lagging = useLaterPart(latest, gate);
  const latestRef = useRef(latest);
  useLayoutEffect(() => {
    latestRef.current = latest;
  }, [latest]);
  const [printing, setPrinting] = useState<PredictionState | null>(null);
  const state = printing === latest ? latest : lagging;
  // Stamped when printing starts: the button, or the browser's own Print command.
  useEffect(() => {
    const stamp = () => {
      setPrintedAt(new Date());
      setPrinting(latestRef.current);
    };
    window.addEventListener('prognos:before-print', stamp);
    window.addEventListener('beforeprint', stamp);
    return () => {
      window.removeEventListener('prognos:before-print', stamp);
      window.removeEventListener('beforeprint', stamp);
    };
  }, []);
  return { state, printedAt };
}

/** One input as printed: an option's label, or the number in the unit it was entered in (and the model's unit when that differs). */
function inputText(f: FieldSpec, v: number | undefined, unitId: string | undefined, format: NumberFormat): string {
  const options = optionsOf(f);
  let text = 'not given';
  if (v !== undefined && options) text = options.find((o) => o.value === v)?.label ?? String(v);
  else if (v !== undefined) {
    const unit = findUnit(f, unitId);
    const shown = `${formatNumber(fromModelUnit(v, unit), format)} ${unit.label}`.trim();
    text = unit.factor === 1 && unit.id === f.unit ? shown : `${shown} (${formatNumber(v, format)} ${f.unit})`;
  }
  return text;
}

/** The inputs that moved the prediction most, in words. */
function ReportContributions({ top }: { top: readonly Contribution[] }) {
  return (
    <section>
      <h2>What moved this prediction</h2>
      <p className="small">
        {top.map((c) => `${c.label} ${c.delta >= 0 ? '+' : '−'}${Math.abs(c.delta * 100).toFixed(1)} percentage points`).join('; ')}. (Each input
        replaced by the training median, one at a time; not a causal effect.)
      </p>
    </section>
  );
}
