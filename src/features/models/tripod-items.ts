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
  subgroups: { number: '23a', title: 'Performance in subgroups' },
  output: { number: '15', title: 'Model output, threshold and the interval of one risk' },
  limitations: { number: '26', title: 'Limitations' },
} as const;

export type TripodItemId = keyof typeof tripodItems;

/**
 * Every item of the TRIPOD+AI checklist (27 items, 52 subitems) with its topic, so that a number on
 * a card can be checked against the checklist (tripod-items.test.ts). Numbers and topics as in the
 * statement's checklist (BMJ 2024;385:e078378, Table 1 and supplementary table 2).
 */
export const tripodChecklist: Readonly<Record<string, string>> = {
  '1': 'Title',
  '2': 'Abstract',
  '3a': 'Background: healthcare context and rationale',
  '3b': 'Background: target population, intended purpose and users',
  '3c': 'Background: known health inequalities',
  '4': 'Objectives',
  '5a': 'Data: sources',
  '5b': 'Data: dates',
  '6a': 'Participants: setting',
  '6b': 'Participants: eligibility criteria',
  '6c': 'Participants: treatments',
  '7': 'Data preparation',
  '8a': 'Outcome: definition and time horizon',
  '8b': 'Outcome: assessors',
  '8c': 'Outcome: blinding',
  '9a': 'Predictors: choice',
  '9b': 'Predictors: definition and measurement',
  '9c': 'Predictors: assessors',
  '10': 'Sample size',
  '11': 'Missing data',
  '12a': 'Analytical methods: how the data were used',
  '12b': 'Analytical methods: handling of predictors',
  '12c': 'Analytical methods: model type, building steps, internal validation',
  '12d': 'Analytical methods: heterogeneity across clusters',
  '12e': 'Analytical methods: performance measures and plots',
  '12f': 'Analytical methods: model updating',
  '12g': 'Analytical methods: how predictions were calculated in evaluation',
  '13': 'Class imbalance',
  '14': 'Fairness',
  '15': 'Model output',
  '16': 'Training versus evaluation',
  '17': 'Ethical approval',
  '18a': 'Open science: funding',
  '18b': 'Open science: conflicts of interest',
  '18c': 'Open science: protocol',
  '18d': 'Open science: registration',
  '18e': 'Open science: data sharing',
  '18f': 'Open science: code sharing',
  '19': 'Patient and public involvement',
  '20a': 'Participants: flow',
  '20b': 'Participants: characteristics',
  '20c': 'Participants: comparison with the development data',
  '21': 'Model development: participants and outcome events in each analysis',
  '22': 'Model specification',
  '23a': 'Model performance: estimates with confidence intervals, including subgroups',
  '23b': 'Model performance: heterogeneity across clusters',
  '24': 'Model updating',
  '25': 'Interpretation',
  '26': 'Limitations',
  '27a': 'Usability: poor quality or unavailable input data',
  '27b': 'Usability: user interaction and expertise',
  '27c': 'Usability: next steps',
};

/** The checklist numbers one card item claims ("12e, 23a" -> ["12e", "23a"]). */
export const itemNumbers = (id: TripodItemId): string[] => tripodItems[id].number.split(', ');

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
