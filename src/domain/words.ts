/**
 * Counts in words: the noun agrees with the number by the language's plural rules
 * (Intl.PluralRules), so "1 reading" and "2 readings", never "1 readings".
 */
const rules = new Intl.PluralRules('en-US');

/** The noun for a count: `noun(1, 'reading')` is "reading", `noun(0, 'reading')` is "readings". */
export function noun(n: number, one: string, other = `${one}s`): string {
  return rules.select(n) === 'one' ? one : other;
}

/** A count with its noun and thousands separators: "1 reading", "1,168 devices". */
export function countOf(n: number, one: string, other?: string): string {
  return `${n.toLocaleString('en-US')} ${noun(n, one, other)}`;
}
