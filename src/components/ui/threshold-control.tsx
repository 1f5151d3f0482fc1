import './threshold-control.css';
import { useId, useState } from 'react';
import type { ModelEntry } from '@/domain/manifest';
import { nearestChoice, pooledFiguresAt, thresholdChoices } from '@/domain/threshold-choices';
import { useModelCard } from '@/inference/model-cards';
import type { CutoffChoice } from '@/storage/use-cutoff';
import { fmtInt, num, pct } from './format';

/**
 * A slider over the thresholds of the model's pooled out-of-fold table, with what the chosen
 * one gives on those predictions (precision, recall, flag rate, confusion counts) and a button
 * back to the manifest's default. The table is card data, fetched with the model cards;
 * `deferred` (the result panel) waits for the user to ask before fetching it.
 */
export function ThresholdControl({ model, choice, deferred = false }: { model: ModelEntry; choice: CutoffChoice; deferred?: boolean }) {
  const [open, setOpen] = useState(!deferred);
  if (!open) {
    // The table is card data (models/manifest.json): the first view and its first result never
    // fetch it. The chosen threshold itself is stored with the choice, so it shows without it.
    return (
      <div className="threshold-control" data-testid={`threshold-control-${model.id}`}>
        <p>
          Alert threshold for <code>{model.id}</code>: <strong data-testid="threshold-value">{pct(choice.threshold, 2)}</strong>
          {choice.changed ? ' (changed; the default is ' + pct(model.threshold, 2) + ')' : ' (default)'}
        </p>
        <button type="button" className="secondary" onClick={() => setOpen(true)}>
          Adjust the alert threshold
        </button>{' '}
        <button type="button" className="secondary" onClick={choice.reset} disabled={!choice.changed}>
          Restore the default threshold
        </button>
      </div>
    );
  }
  return <ThresholdSlider model={model} choice={choice} />;
}

function ThresholdSlider({ model, choice }: { model: ModelEntry; choice: CutoffChoice }) {
  const id = useId();
  const card = useModelCard(model.id);
  if (!card) {
    return (
      <div className="threshold-control" data-testid={`threshold-control-${model.id}`}>
        <p className="small" role="status">
          Loading the threshold table of <code>{model.id}</code>…
        </p>
      </div>
    );
  }
  const rows = thresholdChoices(card);
  const row = nearestChoice(rows, choice.threshold) ?? rows[0]!;
  const index = rows.indexOf(row);
  const f = pooledFiguresAt(model, row);
  return (
    <div className="threshold-control" data-testid={`threshold-control-${model.id}`}>
      <label htmlFor={id}>
        Alert threshold for <code>{model.id}</code>: <strong data-testid="threshold-value">{pct(row.threshold, 2)}</strong>
        {choice.changed ? ' (changed; the default is ' + pct(model.threshold, 2) + ')' : ' (default)'}
      </label>
      <input
        id={id}
        type="range"
        min={0}
        max={rows.length - 1}
        step={1}
        value={index}
        aria-valuetext={`${pct(row.threshold, 2)}${choice.changed ? ', changed' : ', default'}`}
        onChange={(e) => choice.set(rows[Number(e.target.value)]!.threshold)}
      />
      <button type="button" className="secondary" onClick={choice.reset} disabled={!choice.changed}>
        Restore the default threshold
      </button>
      <p className="small" data-testid="threshold-figures">
        At this threshold, on the pooled out-of-fold predictions (the card&apos;s threshold table): precision {num(f.precision)}, recall{' '}
        {num(f.recall)}, flag rate {pct(f.flag_rate)}; {fmtInt(f.tp)} of {fmtInt(f.tp + f.fn)} positive cases flagged ({fmtInt(f.fn)} missed),{' '}
        {fmtInt(f.fp)} of {fmtInt(f.fp + f.tn)} negative cases flagged.
      </p>
    </div>
  );
}
