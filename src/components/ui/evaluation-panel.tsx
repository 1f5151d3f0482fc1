import { compareWithCard } from '@/domain/drift';
import type { ModelEntry } from '@/domain/manifest';
import type { EvaluationReport } from '@/domain/metrics';
import { ConfusionTable } from './curves';
import { fmtInt, meanSd, num } from './format';

/** The metrics on the file's labels next to the model card's, with the differences in words. */
export function EvaluationPanel({ report, model }: { report: EvaluationReport; model: ModelEntry }) {
  const rows = compareWithCard(report.metrics, model.evaluation.metrics);
  const drift = rows.filter((r) => r.sentence);
  return (
    <section className="panel" aria-labelledby="eval-title">
      <h2 id="eval-title">Evaluation on your labelled data</h2>
      <p>
        {fmtInt(report.n)} labelled rows, {fmtInt(report.positives)} positive ({model.class_labels[1]}), threshold {num(model.threshold, 4)}. The
        model card&apos;s figures come from {model.evaluation.protocol.replace(/\.$/, '')}.
      </p>
      {drift.length > 0 ? (
        <ul className="notes" aria-label="Differences from the model card">
          {drift.map((r) => (
            <li key={r.name}>{r.sentence}</li>
          ))}
          {drift.some((r) => r.observed !== null && r.observed > r.hi && r.name !== 'flag_rate') && (
            <li>
              Figures better than the card are expected when the file holds rows the model was trained on: the card&apos;s figures are measured on
              held-out rows only.
            </li>
          )}
        </ul>
      ) : (
        <p>Every metric lies within the model card&apos;s spread (mean ± 2 sd).</p>
      )}
      {report.notes.length > 0 && (
        <ul className="muted">
          {report.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      <table className="table" aria-label="Metrics on your data and on the model card">
        <thead>
          <tr>
            <th scope="col">Metric</th>
            <th scope="col">Your data</th>
            <th scope="col">Model card (mean ± sd)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name} className={r.outside ? 'row-flagged' : undefined}>
              <th scope="row">{r.label}</th>
              <td data-testid={`eval-${r.name}`}>{r.observed === null ? 'not defined' : r.observed.toFixed(3)}</td>
              <td>{meanSd(r.cardMean, r.cardSd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ConfusionTable confusion={report.confusion} labels={model.class_labels} caption={`Confusion matrix at threshold ${num(model.threshold, 4)}`} />
    </section>
  );
}
