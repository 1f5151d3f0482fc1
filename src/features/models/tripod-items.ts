import type { TripodTexts } from '@/domain/evidence';

/**
 * The TRIPOD+AI checklist items the model cards report (Collins GS et al., "TRIPOD+AI statement:
 * updated guidance for reporting clinical prediction models that use regression or machine
 * learning methods", BMJ 2024;385:e078378). The numbers are the checklist's; the titles say what
 * the card shows under them.
 */
export const tripodItems = {
  intendedUse: { number: '3b', title: 'Intended use and users' },
  eligibility: { number: '6b', title: 'Eligibility: who the data covered' },
  outcome: { number: '8a', title: 'Outcome and its horizon' },
  sampleSize: { number: '10, 21', title: 'Sample size and outcome events' },
  missing: { number: '11, 27a', title: 'Missing inputs' },
  imbalance: { number: '13', title: 'Class imbalance' },
  validation: { number: '12a, 12c', title: 'Validation protocol' },
  discrimination: { number: '12e, 23a', title: 'Discrimination, with intervals' },
  calibration: { number: '12e, 23a', title: 'Calibration: plot, intercept and slope' },
  decisionCurve: { number: '12e, 23a', title: 'Clinical usefulness: decision curve' },
  subgroups: { number: '14, 23a', title: 'Performance in subgroups' },
  output: { number: '15', title: 'Model output, threshold and the interval of one risk' },
  limitations: { number: '26', title: 'Limitations' },
} as const;

export type TripodItemId = keyof typeof tripodItems;

/** The items this card shows for a model, in order (what the card claims). */
export function itemsShown(texts: TripodTexts): TripodItemId[] {
  const ids: TripodItemId[] = ['intendedUse'];
  if (texts.eligibility) ids.push('eligibility');
  if (texts.outcome) ids.push('outcome');
  ids.push('sampleSize');
  if (texts.missing_inputs) ids.push('missing');
  if (texts.class_imbalance) ids.push('imbalance');
  ids.push('validation', 'discrimination', 'calibration', 'decisionCurve', 'subgroups', 'output', 'limitations');
  return ids;
}

/** Thresholds where the model's net benefit beats both treating all and treating none. */
export function usefulRange(rows: readonly { threshold: number; net_benefit: number; treat_all: number }[]): [number, number] | null {
  const ok = rows.filter((r) => r.net_benefit > Math.max(0, r.treat_all));
  return ok.length ? [ok[0]!.threshold, ok[ok.length - 1]!.threshold] : null;
}
