import { EvaluationPanel } from '@/components/ui/evaluation-panel';
import { fmtInt, num } from '@/components/ui/format';
import type { FleetEvaluation } from '@/domain/fleet-report';
import type { ModelEntry } from '@/domain/manifest';

/** Failures caught by the daily top K, and how early, next to the model card's figures; then the row-level evaluation. */
export function FleetEvaluationPanel({ ev, model }: { ev: FleetEvaluation; model: ModelEntry }) {
  const card = model.fleet;
  const cardSameK = card && card.top_k === ev.k;
  const cardWithin = (w: number) => card?.caught_within?.[String(w)];
  return (
    <>
      <section className="panel" aria-labelledby="catch-title">
        <h2 id="catch-title">Failures caught by inspecting the top {ev.k} each day</h2>
        <p className="muted small">
          Every reading labelled 1 is a failure. Caught on its day: the device was among that day&apos;s {ev.k} highest.
          Caught within N days: among the {ev.k} highest on some day from N days before the failure up to its day. Lead time:
          days from the first day of the run of consecutive top-{ev.k} days that holds the last one before the failure, to the
          failure.
        </p>
        <table className="table" aria-label="Failures caught in the daily top K">
          <thead>
            <tr>
              <th scope="col">Measure</th>
              <th scope="col">Your log</th>
              <th scope="col">Model card{card ? ` (top ${card.top_k}, out of fold)` : ''}</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Failures</th>
              <td data-testid="fleet-eval-failures">{fmtInt(ev.failures)}</td>
              <td>{card ? fmtInt(card.failures) : '—'}</td>
            </tr>
            <tr>
              <th scope="row">Caught on the failure day</th>
              <td data-testid="fleet-caught-on-day">{fmtInt(ev.caughtOnDay)}</td>
              <td data-testid="fleet-card-caught-on-day">{card ? fmtInt(card.caught_on_day) : '—'}</td>
            </tr>
            {ev.windows.map((w) => (
              <tr key={w}>
                <th scope="row">Caught within {w} days before it</th>
                <td data-testid={`fleet-caught-within-${w}`}>{fmtInt(ev.caughtWithin[w] ?? 0)}</td>
                <td data-testid={`fleet-card-caught-within-${w}`}>{cardWithin(w) !== undefined ? fmtInt(cardWithin(w)!) : '—'}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">Lead time, median (caught within {Math.max(...ev.windows)} days)</th>
              <td>{ev.leadDaysMedian === null ? '—' : `${num(ev.leadDaysMedian, 1)} days`}</td>
              <td>{card?.lead_time_days_median != null ? `${num(card.lead_time_days_median, 1)} days` : '—'}</td>
            </tr>
          </tbody>
        </table>
        {card && !cardSameK && (
          <p className="muted small">The model card counts the top {card.top_k}; set the capacity to {card.top_k} to compare like with like.</p>
        )}
      </section>
      <EvaluationPanel report={ev.report} model={model} />
    </>
  );
}
