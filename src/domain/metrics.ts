import type { Evaluation } from '@/domain/manifest';
import type { MetricName } from '@/domain/model-list';
import { ONE_BITS, sortKeys30 } from './radix';

/**
 * Classification metrics on a user's labelled file, defined as scikit-learn 1.2 defines
 * them (the model card's figures come from scikit-learn). y is 0/1, p is P(class 1), a row
 * is flagged positive when p >= threshold (manifest.isPositive).
 *
 * Degenerate cases, chosen to match scikit-learn where it returns a number:
 * - ROC AUC with one class only: null (scikit-learn raises "Only one class present").
 * - PR AUC with no positives: null (scikit-learn 1.2 returns -0.0 with a warning).
 * - A 0/0 ratio (precision with nothing flagged, recall with no positives, F1 when both
 *   are 0, specificity with no negatives): 0, like scikit-learn's zero_division="warn"
 *   default, which returns 0 and warns. MCC with an empty confusion row/column: 0, as
 *   scikit-learn returns. Each case adds a plain sentence to `notes`.
 */

export type Labels = ArrayLike<number>;
export type Scores = ArrayLike<number>;

export interface Confusion {
  tn: number;
  fp: number;
  fn: number;
  tp: number;
}

function check(y: Labels, p: Scores): { n: number; positives: number } {
  if (y.length !== p.length) throw new RangeError(`y_true has ${y.length} values but p has ${p.length}`);
  let positives = 0;
  for (let i = 0; i < y.length; i++) {
    const t = y[i];
    if (t !== 0 && t !== 1) throw new RangeError(`y_true[${i}] is ${t}; expected 0 or 1`);
    const s = p[i]!;
    if (!Number.isFinite(s)) throw new RangeError(`p[${i}] is ${s}; expected a finite number`);
    positives += t;
  }
  return { n: y.length, positives };
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

export function confusionAt(y: Labels, p: Scores, threshold: number): Confusion {
  check(y, p);
  const c: Confusion = { tn: 0, fp: 0, fn: 0, tp: 0 };
  for (let i = 0; i < y.length; i++) {
    const flagged = p[i]! >= threshold; // manifest.isPositive, inlined for speed
    if (y[i] === 1) {
      if (flagged) c.tp++;
      else c.fn++;
    } else if (flagged) c.fp++;
    else c.tn++;
  }
  return c;
}

/** tp / (tp + fp); 0 when nothing is flagged. */
export const precision = (c: Confusion) => ratio(c.tp, c.tp + c.fp);
/** Sensitivity: tp / (tp + fn); 0 when there are no positives. */
export const recall = (c: Confusion) => ratio(c.tp, c.tp + c.fn);
/** tn / (tn + fp); 0 when there are no negatives. */
export const specificity = (c: Confusion) => ratio(c.tn, c.tn + c.fp);
export const accuracy = (c: Confusion) => ratio(c.tp + c.tn, c.tp + c.tn + c.fp + c.fn);
/** Share of rows flagged positive. */
export const flagRate = (c: Confusion) => ratio(c.tp + c.fp, c.tp + c.tn + c.fp + c.fn);
/** 2tp / (2tp + fp + fn), equal to 2PR/(P+R); 0 when tp = fp = fn = 0. */
export const f1 = (c: Confusion) => ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn);

/** Matthews correlation coefficient; 0 when a row or column of the matrix is empty. */
export function mcc(c: Confusion): number {
  const den = Math.sqrt((c.tp + c.fp) * (c.tp + c.fn)) * Math.sqrt((c.tn + c.fp) * (c.tn + c.fn));
  return den === 0 ? 0 : (c.tp * c.tn - c.fp * c.fn) / den;
}

/**
 * Cumulative counts at each distinct score, highest first (scikit-learn's
 * _binary_clf_curve): a row with score s is flagged at every threshold <= s, so tied
 * scores enter the curve together.
 */
export interface RankedCurve {
  n: number;
  positives: number;
  negatives: number;
  thresholds: Float64Array;
  tps: Float64Array;
  fps: Float64Array;
}

export function rankCurve(y: Labels, p: Scores): RankedCurve {
  const { n, positives } = check(y, p);
  const negatives = n - positives;
  // Positives and negatives sorted apart, then merged.
  const { pos, neg } = scoresByClass(y, p, positives);
  // At most one point per score: written in place, cut to length at the end.
  const thresholds = new Float64Array(n);
  const tps = new Float64Array(n);
  const fps = new Float64Array(n);
  let m = 0;
  let i = positives - 1;
  let j = negatives - 1;
  let tp = 0;
  let fp = 0;
  while (i >= 0 || j >= 0) {
    const t = Math.max(i >= 0 ? pos[i]! : -Infinity, j >= 0 ? neg[j]! : -Infinity);
    while (i >= 0 && pos[i] === t) {
      tp++;
      i--;
    }
    while (j >= 0 && neg[j] === t) {
      fp++;
      j--;
    }
    thresholds[m] = t;
    tps[m] = tp;
    fps[m++] = fp;
  }
  return { n, positives, negatives, thresholds: thresholds.slice(0, m), tps: tps.slice(0, m), fps: fps.slice(0, m) };
}

/** From this many scores on, float32 probabilities are sorted by their bits (radix.ts). */
const RADIX_FROM = 1 << 14;

/**
 * The scores of the positives and of the negatives, each ascending. Float32 scores all in [+0, 1]
 * (the model's probabilities) are sorted by their bits, without a comparator; any other scores,
 * and fewer than `radixFrom`, with the native numeric sort. Both give the same values (property
 * test); on a million scores the bits take under half the time (docs/speed.md).
 */
export function scoresByClass(y: Labels, p: Scores, positives: number, radixFrom = RADIX_FROM): { pos: ArrayLike<number>; neg: ArrayLike<number> } {
  const n = p.length;
  if (p instanceof Float32Array && n >= radixFrom) {
    const bits = new Uint32Array(p.buffer, p.byteOffset, n);
    const pos = new Uint32Array(positives);
    const neg = new Uint32Array(n - positives);
    let inRange = true;
    for (let i = 0, a = 0, b = 0; i < n && inRange; i++) {
      const k = bits[i]!;
      inRange = k <= ONE_BITS; // not above 1, not negative (-0 included), not NaN
      if (y[i] === 1) pos[a++] = k;
      else neg[b++] = k;
    }
    if (inRange) {
      sortKeys30(pos);
      sortKeys30(neg);
      return { pos: new Float32Array(pos.buffer), neg: new Float32Array(neg.buffer) };
    }
  }
  const pos = new Float64Array(positives);
  const neg = new Float64Array(n - positives);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (y[i] === 1) pos[a++] = p[i]!;
    else neg[b++] = p[i]!;
  }
  pos.sort();
  neg.sort();
  return { pos, neg };
}

const curveOf = (y: Labels | RankedCurve, p?: Scores) => ('tps' in y ? y : rankCurve(y, p!));

/** Area under the ROC curve (trapezoids, ties grouped); null when y has one class only. */
export function rocAuc(y: Labels | RankedCurve, p?: Scores): number | null {
  const c = curveOf(y, p);
  if (c.positives === 0 || c.negatives === 0) return null;
  // Twice the area in whole counts, divided once at the end: exact until 2^53.
  let area2 = 0;
  let tpPrev = 0;
  let fpPrev = 0;
  for (let k = 0; k < c.tps.length; k++) {
    area2 += (c.fps[k]! - fpPrev) * (c.tps[k]! + tpPrev);
    tpPrev = c.tps[k]!;
    fpPrev = c.fps[k]!;
  }
  return area2 / (2 * c.positives * c.negatives);
}

/**
 * scikit-learn's average_precision_score: sum over distinct thresholds of
 * (R_k - R_{k-1}) * P_k, a step function with no interpolation. Null when there are no
 * positives.
 */
export function averagePrecision(y: Labels | RankedCurve, p?: Scores): number | null {
  const c = curveOf(y, p);
  if (c.positives === 0) return null;
  let sum = 0;
  let tpPrev = 0;
  for (let k = 0; k < c.tps.length; k++) {
    const tp = c.tps[k]!;
    if (tp !== tpPrev) sum += ((tp - tpPrev) / c.positives) * (tp / (tp + c.fps[k]!));
    tpPrev = tp;
  }
  return sum;
}

export interface RocPoint {
  fpr: number;
  tpr: number;
}
export interface PrPoint {
  recall: number;
  precision: number;
}

/**
 * At most `max` points, picked evenly along the curve's length so steep parts keep their
 * shape; first and last points always kept.
 */
export function downsample<T>(pts: readonly T[], xy: (t: T) => [number, number], max = 200): T[] {
  if (pts.length <= max) return [...pts];
  const cum = new Float64Array(pts.length);
  for (let k = 1; k < pts.length; k++) {
    const [x0, y0] = xy(pts[k - 1]!);
    const [x1, y1] = xy(pts[k]!);
    cum[k] = cum[k - 1]! + Math.hypot(x1 - x0, y1 - y0);
  }
  const total = cum[pts.length - 1]!;
  const out: T[] = [pts[0]!];
  let k = 1;
  for (let s = 1; s < max - 1; s++) {
    const target = (total * s) / (max - 1);
    while (k < pts.length - 1 && cum[k]! < target) k++;
    if (k >= pts.length - 1) break;
    if (out[out.length - 1] !== pts[k]) out.push(pts[k]!);
  }
  out.push(pts[pts.length - 1]!);
  return out;
}

/** ROC points from (0, 0) to (1, 1); collinear points dropped, then at most `max`. Empty with one class. */
export function rocCurve(y: Labels | RankedCurve, p?: Scores, max = 200): RocPoint[] {
  const c = curveOf(y, p);
  if (c.positives === 0 || c.negatives === 0) return [];
  const pts: RocPoint[] = [{ fpr: 0, tpr: 0 }];
  for (let k = 0; k < c.tps.length; k++) pts.push({ fpr: c.fps[k]! / c.negatives, tpr: c.tps[k]! / c.positives });
  // As roc_curve(drop_intermediate=True): a point inside a straight run adds nothing.
  const kept = pts.filter((q, k) => {
    if (k === 0 || k === pts.length - 1) return true;
    const a = pts[k - 1]!;
    const b = pts[k + 1]!;
    return (q.fpr - a.fpr) * (b.tpr - q.tpr) !== (q.tpr - a.tpr) * (b.fpr - q.fpr);
  });
  return downsample(kept, (q) => [q.fpr, q.tpr], max);
}

/**
 * Precision-recall points by falling threshold, starting at (recall 0, precision 1) as
 * scikit-learn's precision_recall_curve does, ending at full recall; at most `max`.
 * Empty with no positives.
 */
export function prCurve(y: Labels | RankedCurve, p?: Scores, max = 200): PrPoint[] {
  const c = curveOf(y, p);
  if (c.positives === 0) return [];
  const pts: PrPoint[] = [{ recall: 0, precision: 1 }];
  for (let k = 0; k < c.tps.length; k++) {
    const tp = c.tps[k]!;
    pts.push({ recall: tp / c.positives, precision: tp / (tp + c.fps[k]!) });
    if (tp === c.positives) break;
  }
  return downsample(pts, (q) => [q.recall, q.precision], max);
}

export type CalibrationBin = Evaluation['calibration'][number];

/**
 * Equal-width bins of p over [0, 1] with each bin's mean p and observed share of
 * positives (null when empty). Bins are [k/bins, (k+1)/bins), the last one closed at 1,
 * with edges computed as k / bins: the rule training/ uses for the model card's
 * calibration table, so the two plots compare like with like. (scikit-learn's
 * calibration_curve differs only for scores exactly on an edge.)
 */
export function calibration(y: Labels, p: Scores, bins = 10): CalibrationBin[] {
  check(y, p);
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < y.length; i++) {
    const s = p[i]!;
    // floor(s * bins) can be off by one at an edge (0.3 * 10 = 3.0000000000000004); settle on k / bins.
    let b = Math.min(bins - 1, Math.max(0, Math.floor(s * bins)));
    while (b > 0 && s < b / bins) b--;
    while (b < bins - 1 && s >= (b + 1) / bins) b++;
    count[b]!++;
    sumP[b]! += s;
    sumY[b]! += y[i]!;
  }
  return Array.from({ length: bins }, (_, b) => ({
    bin_lo: b / bins,
    bin_hi: (b + 1) / bins,
    count: count[b]!,
    mean_predicted: count[b] ? sumP[b]! / count[b]! : null,
    observed: count[b] ? sumY[b]! / count[b]! : null,
  }));
}

export interface EvaluationReport {
  n: number;
  positives: number;
  threshold: number;
  /** Same names as the model card's metrics; null where undefined (see notes). */
  metrics: Record<MetricName, number | null>;
  confusion: Confusion;
  roc: RocPoint[];
  pr: PrPoint[];
  calibration: CalibrationBin[];
  /** Plain sentences on degenerate cases (one class only, 0/0 ratios). */
  notes: string[];
}

/** Everything the evaluation panel shows, from one sort of the scores. */
export function evaluate(y: Labels, p: Scores, threshold: number): EvaluationReport {
  const curve = rankCurve(y, p);
  const c = confusionAt(y, p, threshold);
  const notes: string[] = [];
  const { positives, negatives } = curve;
  if (curve.n === 0) notes.push('There are no labelled rows, so no metric can be computed.');
  else if (positives === 0 || negatives === 0) {
    const only = positives === 0 ? '0 (no positives)' : '1 (no negatives)';
    notes.push(`The label column holds class ${only} only, so ROC AUC is not defined${positives === 0 ? ', nor PR AUC' : ''}.`);
  }
  const t = threshold.toLocaleString('en-US', { maximumFractionDigits: 4 });
  if (c.tp + c.fp === 0 && curve.n > 0) {
    notes.push(`No row is flagged at the threshold ${t}: precision and F1 are 0/0, reported as 0 (as scikit-learn does by default, with a warning).`);
  }
  if (positives === 0 && curve.n > 0) notes.push('With no positives, recall (sensitivity) is 0/0, reported as 0 (as scikit-learn does by default).');
  if (negatives === 0 && curve.n > 0) notes.push('With no negatives, specificity is 0/0, reported as 0.');
  if (curve.n > 0 && (c.tp + c.fp) * (c.tp + c.fn) * (c.tn + c.fp) * (c.tn + c.fn) === 0) {
    notes.push('MCC is reported as 0 because a row or column of the confusion matrix is empty (as scikit-learn does).');
  }
  return {
    n: curve.n,
    positives,
    threshold,
    metrics: {
      roc_auc: rocAuc(curve),
      pr_auc: averagePrecision(curve),
      mcc: mcc(c),
      f1: f1(c),
      accuracy: accuracy(c),
      precision: precision(c),
      sensitivity: recall(c),
      specificity: specificity(c),
      flag_rate: flagRate(c),
    },
    confusion: c,
    roc: rocCurve(curve),
    pr: prCurve(curve),
    calibration: calibration(y, p),
    notes,
  };
}
