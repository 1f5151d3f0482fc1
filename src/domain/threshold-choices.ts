import type { ModelCard, ModelEntry } from './manifest';
import type { Figures } from './nested-figures';

/*
 * What a threshold control computes from the model card's table, apart from the schema of the
 * nested figures (nested-figures.ts), so that the result panel loads no schema code.
 */

export function withRates(c: { tp: number; fp: number; fn: number; tn: number }): Figures {
  const { tp, fp, fn, tn } = c;
  const n = tp + fp + fn + tn;
  const den = Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
  return {
    ...c,
    precision: tp + fp ? tp / (tp + fp) : 0,
    recall: tp + fn ? tp / (tp + fn) : 0,
    flag_rate: n ? (tp + fp) / n : 0,
    mcc: den ? (tp * tn - fp * fn) / den : 0,
  };
}

export type TableRow = ModelCard['evaluation']['threshold_table'][number];

/**
 * The rows a threshold control offers: the manifest's pooled out-of-fold threshold table,
 * sorted, with the model's own threshold among them. The table is card data (manifest.json,
 * not manifest.core.json): views get it with `useModelCard`.
 */
export function thresholdChoices(model: Pick<ModelCard, 'threshold' | 'evaluation'>): TableRow[] {
  const rows = [...model.evaluation.threshold_table].sort((a, b) => a.threshold - b.threshold);
  if (!rows.some((r) => r.threshold === model.threshold)) {
    const c = model.evaluation.confusion;
    const f = withRates(c);
    rows.push({ threshold: model.threshold, precision: f.precision, recall: f.recall, flag_rate: f.flag_rate });
    rows.sort((a, b) => a.threshold - b.threshold);
  }
  return rows;
}

/** Confusion counts at a row of the pooled table (the table's rates times the pooled rows and positives). */
export function pooledFiguresAt(model: ModelEntry, row: TableRow): Figures {
  const c = model.evaluation.confusion;
  const n = c.tp + c.fp + c.fn + c.tn;
  const pos = c.tp + c.fn;
  const tp = Math.round(row.recall * pos);
  const flagged = Math.max(tp, Math.round(row.flag_rate * n));
  return withRates({ tp, fp: flagged - tp, fn: pos - tp, tn: n - pos - (flagged - tp) });
}

/** The nearest offered row to a threshold (a stored choice after retraining may fall between rows). */
export function nearestChoice(rows: readonly TableRow[], threshold: number): TableRow | null {
  let best: TableRow | null = null;
  for (const r of rows) if (best === null || Math.abs(r.threshold - threshold) < Math.abs(best.threshold - threshold)) best = r;
  return best;
}
