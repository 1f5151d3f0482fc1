/**
 * Counts in words: the noun agrees with the number by the language's plural rules
 * (Intl.PluralRules), so "1 reading" and "2 readings", never "1 readings".
 */
let rules: Intl.PluralRules | null = null; // made on first use, not while the first view loads

/** The noun for a count: `noun(1, 'reading')` is "reading", `noun(0, 'reading')` is "readings". */
export function noun(n: number, one: string, other = `${one}s`): string {
  return (rules ??= new Intl.PluralRules('en-US')).select(n) === 'one' ? one : other;
}

let intFormat: Intl.NumberFormat | null = null;

/**
 * A number with thousands separators, as toLocaleString('en-US') writes it, from one formatter
 * made once: toLocaleString makes a new one per call (a day list of counts cost ~50 ms).
 */
export function thousands(n: number): string {
  return (intFormat ??= new Intl.NumberFormat('en-US')).format(n);
}

/** A count with its noun and thousands separators: "1 reading", "1,168 devices". */
export function countOf(n: number, one: string, other?: string): string {
  return `${thousands(n)} ${noun(n, one, other)}`;
}
