/** Probability as a percentage with two decimals: 0.91234 -> "91.23 %". */
export function pct(p: number, digits = 2): string {
  return `${(p * 100).toFixed(digits)} %`;
}

export function num(x: number, digits = 3): string {
  return x.toLocaleString('en-US', { maximumFractionDigits: digits });
}
