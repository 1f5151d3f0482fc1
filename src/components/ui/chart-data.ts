/** At most `n` points of a curve, evenly spread, the first and the last kept. */
export function thin<T>(points: readonly T[], n = 11): T[] {
  if (points.length <= n) return [...points];
  return Array.from({ length: n }, (_, i) => points[Math.round((i * (points.length - 1)) / (n - 1))]!);
}

/** Series colours that follow the page's theme (light or dark; see styles.css). */
export const seriesColors = { primary: 'var(--chart-1)', secondary: 'var(--chart-2)' } as const;
