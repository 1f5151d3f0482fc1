import { seriesColors } from '@/components/ui/chart-data';
import { CalibrationChart, ConfusionTable, PrChart, RocChart } from '@/components/ui/curves';
import { fmtInt, meanSd, num } from '@/components/ui/format';
import { metricLabels } from '@/domain/drift';
import type { ModelCard as Card } from '@/domain/manifest';
import { metricNames } from '@/domain/model-list';
import { useModelCards } from '@/inference/model-cards';
import { PolicyCard } from './policy-card';
import { ThresholdCard } from './threshold-card';
import { TripodCard } from './tripod-card';

function ModelCard({ m }: { m: Card }) {
  const ev = m.evaluation;
  return (
    <article className="panel model-card" aria-labelledby={`card-${m.id}`} data-testid={`model-card-${m.id}`}>
      <h2 id={`card-${m.id}`}>
        {m.title} <code>{m.id}</code> {m.default && <span className="badge">default</span>}
      </h2>
      <p>
        {m.family}. Version {m.version}; {(m.bytes / 1024).toFixed(0)} KB; threshold {num(m.threshold)}; classes {m.class_labels.join(' / ')}.
      </p>
      <p>
        <strong>Intended use.</strong> {m.intended_use}
      </p>
      <div>
        <strong>Limitations.</strong>
        <ul>
          {m.limitations.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
      </div>
      <TripodCard m={m} />
      <ThresholdCard model={m} />
      <PolicyCard model={m} />
      <h3>Quality</h3>
      <p className="muted">{ev.protocol}</p>
      <QualityTable ev={ev} />
      <div className="charts">
        <RocChart series={[{ name: m.id, points: ev.roc, color: seriesColors.primary }]} />
        <PrChart series={[{ name: m.id, points: ev.pr, color: seriesColors.primary }]} />
        <CalibrationChart series={[{ name: m.id, points: ev.calibration, color: seriesColors.primary }]} />
      </div>
      <ConfusionTable
        confusion={ev.confusion}
        labels={m.class_labels}
        caption={`Pooled out-of-fold confusion matrix at threshold ${num(m.threshold)} (optimistic: that threshold was chosen on these rows; nested figures above)`}
      />
      <InputRanges features={m.features} />
      <ThresholdTradeoffs rows={ev.threshold_table} />
      <p className="muted small">
        Trained on {m.training_data.file}: {fmtInt(m.training_data.rows)} rows, {fmtInt(m.training_data.positives)} positive. File sha256{' '}
        <code>{m.sha256}</code>. Libraries:{' '}
        {Object.entries(m.library_versions)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}
        .
      </p>
    </article>
  );
}

/** The cross-validated metrics, mean and SD. */
function QualityTable({ ev }: { ev: Card['evaluation'] }) {
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">Metric</th>
          <th scope="col">Mean</th>
          <th scope="col">SD</th>
        </tr>
      </thead>
      <tbody>
        {metricNames
          .filter((k) => ev.metrics[k])
          .map((k) => (
            <tr key={k}>
              <th scope="row">{metricLabels[k]}</th>
              <td>{ev.metrics[k]!.mean.toFixed(3)}</td>
              <td>{ev.metrics[k]!.sd === null ? '–' : ev.metrics[k]!.sd!.toFixed(3)}</td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}

/** Each input the model reads, with its unit and training range. */
function InputRanges({ features }: { features: Card['features'] }) {
  return (
    <details>
      <summary>Inputs and training ranges</summary>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Input</th>
            <th scope="col">Unit</th>
            <th scope="col">Min</th>
            <th scope="col">1st pct</th>
            <th scope="col">Median</th>
            <th scope="col">99th pct</th>
            <th scope="col">Max</th>
          </tr>
        </thead>
        <tbody>
          {features.map((f) => (
            <tr key={f.name}>
              <th scope="row">
                <code>{f.name}</code>
              </th>
              <td>{f.unit}</td>
              <td>{num(f.min)}</td>
              <td>{num(f.p1)}</td>
              <td>{num(f.median)}</td>
              <td>{num(f.p99)}</td>
              <td>{num(f.max)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** Precision, recall and flag rate at a range of thresholds. */
function ThresholdTradeoffs({ rows }: { rows: Card['evaluation']['threshold_table'] }) {
  return (
    <details>
      <summary>Threshold trade-offs (pooled out-of-fold predictions)</summary>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Threshold</th>
            <th scope="col">Precision</th>
            <th scope="col">Recall</th>
            <th scope="col">Flag rate</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => (
            <tr key={t.threshold}>
              <td>{num(t.threshold)}</td>
              <td>{t.precision.toFixed(3)}</td>
              <td>{t.recall.toFixed(3)}</td>
              <td>{t.flag_rate.toFixed(4)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

export function ModelsView() {
  // The cards come from manifest.json itself, independently of the engine's loading.
  const status = useModelCards();
  if (status.state === 'failed') return <p role="alert">{status.message}</p>;
  if (status.state !== 'ready') return <p role="status">Loading the model cards…</p>;
  return (
    <div className="models">
      <h1>Models</h1>
      <p className="lede">
        Every figure below was measured by the training pipeline on held-out data (never on the rows a model was fitted on), and is written into the
        manifest next to the model file.
      </p>
      <table className="table panel" aria-label="All models at a glance">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">ROC AUC</th>
            <th scope="col">PR AUC</th>
            <th scope="col">MCC</th>
            <th scope="col">Threshold</th>
          </tr>
        </thead>
        <tbody>
          {status.models.map((m) => (
            <tr key={m.id}>
              <th scope="row">
                <a
                  href={`#/models`}
                  onClick={(e) => {
                    e.preventDefault();
                    document.getElementById(`card-${m.id}`)?.scrollIntoView();
                  }}
                >
                  {m.id}
                </a>
                {m.default ? ' (default)' : ''}
              </th>
              {(['roc_auc', 'pr_auc', 'mcc'] as const).map((k) => {
                const v = m.evaluation.metrics[k];
                return <td key={k}>{v ? meanSd(v.mean, v.sd) : '–'}</td>;
              })}
              <td>{num(m.threshold, 4)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {status.models.map((m) => (
        <ModelCard key={m.id} m={m} />
      ))}
    </div>
  );
}
