import { fmtInt, num, pct } from '@/components/ui/format';
import { ThresholdControl } from '@/components/ui/threshold-control';
import type { ModelCard } from '@/domain/manifest';
import type { Figures, NestedFigures } from '@/domain/nested-figures';
import { thresholdForFlagRate } from '@/domain/what-if';
import { useNestedFigures } from '@/inference/use-nested-figures';
import { useCutoff } from '@/storage/use-cutoff';

const share = (x: number) => pct(x, x < 0.01 ? 2 : 1);

/**
 * The threshold part of a model card, first: the nested figures (each test part judged at the
 * threshold chosen without it), the spread of those thresholds, and for uncalibrated models a
 * threshold by rank; then the control, whose figures come from the pooled table.
 */
export function ThresholdCard({ model }: { model: ModelCard }) {
  const { figures, unstableShare, error } = useNestedFigures(model);
  const choice = useCutoff(model);
  const partWord = figures?.protocol === 'repeated-holdout' ? 'split' : 'fold';
  return (
    <section aria-label={`Threshold of ${model.id}`} className="threshold-card" data-testid={`threshold-card-${model.id}`}>
      <h3>Alert threshold: what to expect</h3>
      {error && <p className="muted">The nested threshold figures could not be loaded: {error}</p>}
      {figures && (
        <>
          {figures.notes.map((n) => (
            <p key={n} className="small" data-testid="card-note">
              {n}
            </p>
          ))}
          <p data-testid="nested-figures">
            <strong>Nested (honest):</strong> each of the {figures.parts} test {partWord}s judged at the threshold chosen on its training part only.{' '}
            {figureWords(figures.nested, model)}
            {figures.protocol === 'repeated-holdout' && ` Counts summed over the ${figures.parts} splits (a patient is in several).`}
          </p>
          <p className="small">
            Per {partWord}: recall {num(figures.nested_parts.recall.min)} to {num(figures.nested_parts.recall.max)}, flag rate{' '}
            {share(figures.nested_parts.flag_rate.min)} to {share(figures.nested_parts.flag_rate.max)}, MCC median{' '}
            {num(figures.nested_parts.mcc.median)}.
          </p>
          <p data-testid="pooled-figures" className="muted">
            <strong>Pooled (optimistic):</strong> the shipped threshold {num(figures.threshold, 4)}, chosen on all rows, applied to the same
            out-of-fold predictions whose labels helped choose it. {figureWords(figures.pooled, model)} The confusion matrix and threshold table below
            are pooled figures of this kind.
          </p>
          <p data-testid="threshold-spread">
            Thresholds chosen in the {figures.parts} training parts: {num(figures.threshold_spread.min, 4)} to {num(figures.threshold_spread.max, 4)}{' '}
            (median {num(figures.threshold_spread.median, 4)}; range {pct(figures.threshold_spread.range_share, 0)} of the median).{' '}
            {figures.unstable ? (
              <strong data-testid="unstable">
                Unstable: the range is over {pct(unstableShare, 0)} of the median, so a probability threshold of this model depends on which rows
                chose it; expect figures like the nested ones, not the pooled.
              </strong>
            ) : (
              <span>Stable: the range is within {pct(unstableShare, 0)} of the median.</span>
            )}
          </p>
          {!figures.calibrated && figures.rank && <RankFigures figures={figures} model={model} onPick={(t) => choice.set(t)} partWord={partWord} />}
        </>
      )}
      <ThresholdControl model={model} choice={choice} />
    </section>
  );
}

function figureWords(f: Figures, model: ModelCard): string {
  const [neg, pos] = model.class_labels;
  return (
    `Precision ${num(f.precision)}, recall ${num(f.recall)}, flag rate ${share(f.flag_rate)}, MCC ${num(f.mcc)}: ` +
    `${fmtInt(f.tp)} ${pos} caught, ${fmtInt(f.fn)} missed, ${fmtInt(f.fp)} ${neg} flagged, ${fmtInt(f.tn)} ${neg} not flagged.`
  );
}

function RankFigures({
  figures,
  model,
  onPick,
  partWord,
}: {
  figures: NestedFigures;
  model: ModelCard;
  onPick: (t: number) => void;
  partWord: string;
}) {
  const rank = figures.rank!;
  // Compare with the rank rate nearest to the share the probability threshold flagged.
  const near = rank.reduce((a, b) => (Math.abs(b.rate - figures.nested.flag_rate) < Math.abs(a.rate - figures.nested.flag_rate) ? b : a));
  const probSd = figures.nested_parts.recall.sd;
  const rankSd = near.parts.recall.sd;
  const rankStabler = rankSd <= probSd;
  const top1 = thresholdForFlagRate(model.evaluation.threshold_table, 0.01);
  return (
    <div data-testid="rank-figures">
      <p>
        Its probabilities are not calibrated (mean predicted {share(figures.mean_probability)} against {share(figures.positive_rate)} positive), so a
        threshold by rank may serve better: flag the top share of the readings you score.
      </p>
      <table className="table" aria-label={`Threshold by rank, ${model.id}`}>
        <thead>
          <tr>
            <th scope="col">Flag the top</th>
            <th scope="col">Precision</th>
            <th scope="col">Recall</th>
            <th scope="col">Recall per {partWord} (sd)</th>
            <th scope="col">Caught / missed</th>
          </tr>
        </thead>
        <tbody>
          {rank.map((r) => (
            <tr key={r.rate}>
              <td>{share(r.rate)}</td>
              <td>{num(r.precision)}</td>
              <td>{num(r.recall)}</td>
              <td>{num(r.parts.recall.sd)}</td>
              <td>
                {fmtInt(r.tp)} / {fmtInt(r.fn)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p data-testid="rank-verdict">
        <strong>{rankStabler ? 'The threshold by rank is more stable here' : 'The probability threshold is more stable here'}:</strong> flagging the
        top {share(near.rate)} in each test {partWord} gives recall {num(near.recall)} (sd {num(rankSd)} across {partWord}s) and flags exactly that
        share every time; the probability threshold chosen without each {partWord} gives recall {num(figures.nested.recall)} (sd {num(probSd)}) and
        flagged from {share(figures.nested_parts.flag_rate.min)} to {share(figures.nested_parts.flag_rate.max)} of a {partWord}&apos;s readings.
      </p>
      {top1 && (
        <p>
          <button type="button" className="secondary" onClick={() => onPick(top1.threshold)}>
            Use the threshold that flags the top 1 % ({num(top1.threshold, 4)})
          </button>{' '}
          <span className="muted small">
            On the pooled table: flag rate {share(top1.flag_rate)}, recall {num(top1.recall)}.
          </span>
        </p>
      )}
    </div>
  );
}
