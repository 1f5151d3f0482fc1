import type { Evidence } from './evidence-schema';

// The figures a view shows beside a risk, apart from their schema (evidence-schema.ts, which the
// model list's schema uses), so that a result loads no schema code.
export type { Evidence, OutOfFold, SimilarRow, TripodTexts } from './evidence-schema';

/** The grid row nearest to a risk (the lookup is declared on a grid, e.g. every 0.01). */
export function nearestRow<T extends { risk: number }>(rows: readonly T[], step: number, p: number): T {
  const i = Math.min(rows.length - 1, Math.max(0, Math.round(p / step)));
  return rows[i]!;
}

/** Wilson score interval for k events in n (0..1 when n = 0); z for 95 %. */
export function wilson(k: number, n: number, z95 = 1.959963984540054): [number, number] {
  if (n === 0) return [0, 1];
  const ph = k / n;
  const den = 1 + (z95 * z95) / n;
  const centre = (ph + (z95 * z95) / (2 * n)) / den;
  const half = (z95 * Math.sqrt((ph * (1 - ph)) / n + (z95 * z95) / (4 * n * n))) / den;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export interface SimilarCases {
  n: number;
  events: number;
  /** events / n, null when n = 0. */
  share: number | null;
  low: number;
  high: number;
  minRisk: number | null;
  maxRisk: number | null;
  small: boolean;
  /** Filled icons of 100: the share rounded to whole people. */
  per100: number | null;
}

/** What happened to the study's cases whose out-of-fold risk was close to `p`. */
export function similarCases(e: Evidence, p: number): SimilarCases {
  const r = nearestRow(e.similar.rows, e.similar.step, p);
  const share = r.n ? r.events / r.n : null;
  return {
    n: r.n,
    events: r.events,
    share,
    low: r.low,
    high: r.high,
    minRisk: r.min_risk,
    maxRisk: r.max_risk,
    small: r.n < e.similar.small_n,
    per100: share === null ? null : Math.round(share * 100),
  };
}

const pc = (p: number) => `${Math.round(p * 1000) / 10}`;

/** The sentence beside a result, and a second one when the number of cases is small. */
export function similarSentences(e: Evidence, p: number): { sentence: string; caution: string | null } {
  const s = similarCases(e, p);
  const band = `${Math.round(e.similar.band * 100)} points`;
  if (s.n === 0) {
    return {
      sentence: `None of the ${e.units} in the study had an out-of-fold risk within ${band} of this one, so there is nothing to compare it with.`,
      caution: `This risk lies outside what the study's ${e.units} received: treat it with care.`,
    };
  }
  const sentence =
    `Of the ${s.n} ${e.units} in the study whose out-of-fold risk was close to this one (within ${band}), ` +
    `${s.events} ${e.event} (${pc(s.share!)} %, 95 % interval ${pc(s.low)}–${pc(s.high)} %).`;
  const caution = s.small ? `Only ${s.n} ${e.units}: too few for a firm figure; read the interval, not the percentage.` : null;
  return { sentence, caution };
}

/** The interval of a risk (the similar cases' Wilson interval, nearest grid row); null when training declared none. */
export function riskInterval(e: Evidence, p: number): { low: number; high: number; sentence: string } | null {
  if (!e.interval) return null;
  const r = nearestRow(e.similar.rows, e.similar.step, p);
  return { low: r.low, high: r.high, sentence: e.interval.sentence };
}

/** The columns a result file gets for a model with evidence, and their cells for one risk (empty when not scored). */
export const evidenceColumns = ['similar_n', 'similar_events', 'interval_95_low', 'interval_95_high'] as const;

export function evidenceCells(e: Evidence, p: number): string[] {
  if (Number.isNaN(p)) return ['', '', '', ''];
  const r = nearestRow(e.similar.rows, e.similar.step, p);
  return [String(r.n), String(r.events), String(r.low), String(r.high)];
}

/** The similar patients and the risk's interval as sentences (the FHIR RiskAssessment's notes). */
export function evidenceWords(e: Evidence, p: number): string[] {
  const { sentence, caution } = similarSentences(e, p);
  const interval = riskInterval(e, p);
  return [
    sentence,
    ...(caution ? [caution] : []),
    ...(interval ? [`Interval on this risk: ${pc(interval.low)}–${pc(interval.high)} %. ${interval.sentence}`] : []),
  ];
}
