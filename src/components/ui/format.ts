/** Probability as a percentage with two decimals: 0.91234 -> "91.23 %". */
export function pct(p: number, digits = 2): string {
  return `${(p * 100).toFixed(digits)} %`;
}

export function num(x: number, digits = 3): string {
  return x.toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** A model-card figure: "0.797 ± 0.057", or the mean alone when there is no spread. */
export function meanSd(mean: number, sd: number | null): string {
  return sd === null ? mean.toFixed(3) : `${mean.toFixed(3)} ± ${sd.toFixed(3)}`;
}

/** Whole numbers with thousands separators, as the e2e tests read them ("20,000 rows read"). */
export const fmtInt = (n: number) => n.toLocaleString('en-US');
