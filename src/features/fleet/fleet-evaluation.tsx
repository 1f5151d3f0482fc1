import { EvaluationPanel } from '@/components/ui/evaluation-panel';
import { fmtInt, num } from '@/components/ui/format';
import { LEAD_WINDOW, type FleetEvaluation } from '@/domain/fleet-report';
import type { ModelEntry, TopKFigures } from '@/domain/manifest';
import { caughtWithin } from '@/domain/model-list';

interface Row {
  label: string;
  id: string;
  mine: string;
  of: (f: TopKFigures) => string;
}

const int = (v: number | null) => (v === null ? '—' : fmtInt(v));

/** Failures caught by the daily top K, and how early, next to the model card's figures; then the row-level evaluation. */
export function FleetEvaluationPanel({ ev, model }: { ev: FleetEvaluation; model: ModelEntry }) {
  const card = model.fleet;
  const columns = card
    ? [
        { title: `Model card: out of fold, top ${card.k}`, figures: card.out_of_fold, id: 'card' },
        ...(card.shipped_on_training_log
          ? [{ title: `Shipped model on its training log (in-sample), top ${card.k}`, figures: card.shipped_on_training_log, id: 'shipped' }]
          : []),
      ]
    : [];
  const rows: Row[] = [
    { label: 'Failures', id: 'failures', mine: fmtInt(ev.failures), of: (f) => fmtInt(f.failures) },
    { label: 'Caught on the failure day', id: 'caught-on-day', mine: fmtInt(ev.caughtOnDay), of: (f) => fmtInt(f.caught_on_day) },
    ...ev.windows.map((w) => ({
      label: `Caught within ${w} days before it`,
      id: `caught-within-${w}`,
      mine: fmtInt(ev.caughtWithin[w] ?? 0),
      of: (f: TopKFigures) => int(caughtWithin(f, w)),
    })),
    {
      label: `Caught within ${LEAD_WINDOW} days (with a lead time)`,
      id: `caught-within-${LEAD_WINDOW}`,
      mine: fmtInt(ev.caughtWithinLead),
      of: (f) => int(caughtWithin(f, LEAD_WINDOW)),
    },
    {
      label: 'Lead time, median',
      id: 'lead-median',
      mine: ev.leadDaysMedian === null ? '—' : `${num(ev.leadDaysMedian, 1)} days`,
      of: (f) => (f.lead_days_median === null ? '—' : `${num(f.lead_days_median, 1)} days`),
    },
  ];
  return (
    <>
      <section className="panel" aria-labelledby="catch-title">
        <h2 id="catch-title">Failures caught by inspecting the top {ev.k} each day</h2>
        <p className="muted small">
          Every reading labelled 1 is a failure, on day f. A reading&apos;s rank on its day counts the readings of that day with a probability at
          least its own (ties count against it); it is in the top {ev.k} when its rank is at most {ev.k}. Caught on its day: the failing device is in
          the top {ev.k} on day f; within N days: on at least one of the days f−N to f. Lead time: f minus the first day in f−{LEAD_WINDOW} to f with
          the device in the top {ev.k}.
        </p>
        <table className="table" aria-label="Failures caught in the daily top K">
          <thead>
            <tr>
              <th scope="col">Measure</th>
              <th scope="col">Your log, top {ev.k}</th>
              {columns.map((c) => (
                <th scope="col" key={c.id}>
                  {c.title}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <th scope="row">{r.label}</th>
                <td data-testid={`fleet-${r.id}`}>{r.mine}</td>
                {columns.map((c) => (
                  <td key={c.id} data-testid={`fleet-${c.id}-${r.id}`}>
                    {r.of(c.figures)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {card && card.k !== ev.k && (
          <p className="muted small">
            The model card counts the top {card.k}; set the capacity to {card.k} to compare like with like.
          </p>
        )}
      </section>
      <EvaluationPanel report={ev.report} model={model} />
    </>
  );
}
