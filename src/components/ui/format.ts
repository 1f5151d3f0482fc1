import { thousands } from '@/domain/words';
/** Probability as a percentage with two decimals: 0.91234 -> "91.23 %". */
export function pct(p: number, digits = 2): string {
  return `${(p * 100).toFixed(digits)} %`;
}

const numFormats = new Map<number, Intl.NumberFormat>();

/** Up to `digits` decimals with thousands separators (toLocaleString('en-US'), one formatter per `digits`). */
export function num(x: number, digits = 3): string {
  let f = numFormats.get(digits);
  if (!f) numFormats.set(digits, (f = new Intl.NumberFormat('en-US', { maximumFractionDigits: digits })));
  return f.format(x);
}

/** A model-card figure: "0.797 ± 0.057", or the mean alone when there is no spread. */
export function meanSd(mean: number, sd: number | null): string {
  return sd === null ? mean.toFixed(3) : `${mean.toFixed(3)} ± ${sd.toFixed(3)}`;
}

/**
 * A risk as people read it: whole percentages ("70 %"), one decimal below 1 % and above
 * 99 % ("0.4 %", "99.6 %"), so a small risk is never shown as 0 % nor a large one as 100 %.
 */
export function riskPct(p: number): string {
  const x = p * 100;
  if (x < 1 || x > 99) return `${x.toFixed(1)} %`;
  return `${Math.round(x)} %`;
}

/** Whole numbers with thousands separators, as the e2e tests read them ("20,000 rows read"). */
export const fmtInt = thousands;

/**
 * Compact ticks for an axis from `lo` to `hi`, with enough significant digits that ticks a
 * small step apart on a large value stay distinct (303,700 and 304,000: "303.7K", "304K").
 */
export function compactTicks(lo: number, hi: number): (x: number) => string {
  const big = Math.max(Math.abs(lo), Math.abs(hi));
  const span = hi - lo;
  const digits = span > 0 && big > 0 ? Math.min(21, Math.max(3, Math.ceil(Math.log10(big / span)) + 2)) : 3;
  const f = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: digits });
  return (x) => f.format(x);
}
