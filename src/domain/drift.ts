import { type Evaluation } from '@/domain/manifest';
import { metricNames, type MetricName } from '@/domain/model-list';

/** How the app names each model-card metric in sentences and tables. */
export const metricLabels: Record<MetricName, string> = {
  roc_auc: 'ROC AUC',
  pr_auc: 'PR AUC',
  mcc: 'MCC',
  f1: 'F1',
  accuracy: 'Accuracy',
  precision: 'Precision',
  sensitivity: 'Sensitivity',
  specificity: 'Specificity',
  flag_rate: 'Flag rate',
};

/**
 * Half-width used when the model card gives no sd for a metric (sd null: one pooled
 * figure, no repetitions): mean ± 2 × 0.025, i.e. ± 0.05 on the metric's own scale. A
 * plain, fixed band rather than a guess at the sampling spread; the sentence says so.
 */
export const FALLBACK_SD = 0.025;

export interface DriftRow {
  name: MetricName;
  label: string;
  /** Measured on the user's file; null when it could not be computed (see evaluate's notes). */
  observed: number | null;
  cardMean: number;
  cardSd: number | null;
  /** The sd actually used: the card's, or FALLBACK_SD when the card has none. */
  sdUsed: number;
  lo: number;
  hi: number;
  /** observed lies outside [lo, hi] = mean ± 2 sd. */
  outside: boolean;
  /** A plain sentence when outside, else null. */
  sentence: string | null;
}

const EDGE_EPS = 1e-9;

let threeDigits: Intl.NumberFormat | undefined;
/** Three decimals, as toLocaleString('en-US') writes them, from one formatter made on first use (toLocaleString makes one per call). */
const fmt = (v: number) => (threeDigits ??= new Intl.NumberFormat('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 })).format(v);

/**
 * Compare metrics measured on a labelled file with the model card, metric by metric, in
 * the card's metric order. Metrics missing from either side are left out.
 */
export function compareWithCard(
  observed: Partial<Record<MetricName, number | null>>,
  card: Evaluation['metrics'],
  opts: { fallbackSd?: number } = {},
): DriftRow[] {
  const fallback = opts.fallbackSd ?? FALLBACK_SD;
  const rows: DriftRow[] = [];
  for (const name of metricNames) {
    const c = card[name];
    if (!c || !(name in observed)) continue;
    const obs = observed[name] ?? null;
    const sdUsed = c.sd ?? fallback;
    const lo = c.mean - 2 * sdUsed;
    const hi = c.mean + 2 * sdUsed;
    // The edges count as inside, allowing for float noise (0.4 - 2 × 0.05 is 0.30000000000000004).
    const outside = obs !== null && (obs < lo - EDGE_EPS || obs > hi + EDGE_EPS);
    const label = metricLabels[name];
    let sentence: string | null = null;
    if (outside) {
      const band =
        c.sd === null
          ? `the model card's ${fmt(c.mean)} ± ${fmt(2 * sdUsed)} (the card gives no spread for ${label}, so a fixed band of ± ${fmt(2 * sdUsed)} is used)`
          : `the model card's range of ${fmt(lo)} to ${fmt(hi)} (mean ${fmt(c.mean)} ± 2 × sd ${fmt(c.sd)})`;
      sentence = `${label} on this file is ${fmt(obs)}, ${obs < lo ? 'below' : 'above'} ${band}: this may indicate drift or a different population.`;
    }
    rows.push({ name, label, observed: obs, cardMean: c.mean, cardSd: c.sd, sdUsed, lo, hi, outside, sentence });
  }
  return rows;
}
