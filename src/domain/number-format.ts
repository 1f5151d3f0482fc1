/**
 * Reading numbers typed or exported in either of the two formats in clinical use:
 * `1,234.5` (decimal point) and `1.234,5` (decimal comma). Never silently wrong: a string
 * that the other format would read as a different number is refused with a message that
 * names the setting, so `1,9` is never read as 19 and `1.234` is never guessed.
 */

export type NumberFormat = 'point' | 'comma';

export const numberFormats: readonly { id: NumberFormat; label: string; example: string }[] = [
  { id: 'point', label: 'Decimal point', example: '1,234.5' },
  { id: 'comma', label: 'Decimal comma', example: '1.234,5' },
];

const byLocale = new Map<string | undefined, NumberFormat>();

/**
 * The format a browser locale writes numbers in (de-DE: comma; en-GB: point), asked of Intl
 * once per locale: a page's first Intl formatter loads its locale data (30-50 ms of the main
 * thread in a fresh Chromium tab), so main.tsx asks while the app's code downloads.
 */
export function formatFromLocale(locale: string | undefined): NumberFormat {
  let f = byLocale.get(locale);
  if (f === undefined) {
    try {
      const parts = new Intl.NumberFormat(locale).formatToParts(1.5);
      f = parts.find((p) => p.type === 'decimal')?.value === ',' ? 'comma' : 'point';
    } catch {
      f = 'point';
    }
    byLocale.set(locale, f);
  }
  return f;
}

export type ParsedNumber = { ok: true; value: number } | { ok: false; reason: string };

const seps = { point: { decimal: '.', group: ',' }, comma: { decimal: ',', group: '.' } } as const;

function escape(c: string) {
  return c === '.' ? '\\.' : c;
}

/** Plain decimal notation in the given format; exponents allowed (1e-3), hex and words not. */
function pattern(f: NumberFormat) {
  const { decimal: d, group: g } = seps[f];
  const D = escape(d);
  const G = escape(g);
  // Grouped integers need two or more separators, or a decimal part, to be unambiguous.
  return {
    plain: new RegExp(`^[+-]?(\\d+${D}?\\d*|${D}\\d+)([eE][+-]?\\d+)?$`),
    grouped: new RegExp(`^[+-]?\\d{1,3}(${G}\\d{3})+(${D}\\d*)?$`),
    oneGroup: new RegExp(`^[+-]?\\d{1,3}${G}\\d{3}$`),
  };
}
const patterns = { point: pattern('point'), comma: pattern('comma') };

function toNumber(text: string, f: NumberFormat): number {
  const { decimal, group } = seps[f];
  return Number(text.split(group).join('').replace(decimal, '.'));
}

/** "decimal comma (1.234,5)": how a message or a report names the setting. */
export function describeNumberFormat(f: NumberFormat): string {
  const x = numberFormats.find((n) => n.id === f)!;
  return `${x.label.toLowerCase()} (${x.example})`;
}

/** Read `raw` in format `f`. Blank is not a number here: callers decide what blank means. */
export function parseNumber(raw: string, f: NumberFormat): ParsedNumber {
  const t = raw.trim().replace(/[\u00a0\u202f ]/g, (c) => (c === ' ' ? ' ' : ''));
  if (t === '' || /\s/.test(t)) return { ok: false, reason: 'is not a number' };
  const p = patterns[f];
  const other: NumberFormat = f === 'point' ? 'comma' : 'point';
  const q = patterns[other];
  if (p.oneGroup.test(t)) {
    // 1,234 is 1234 with a decimal point and 1.234 with a decimal comma: ask, never guess.
    return {
      ok: false,
      reason: `could be read two ways (${toNumber(t, f)} or ${toNumber(t, other)}); the number format is set to ${describeNumberFormat(f)}: write it without a thousands separator`,
    };
  }
  if (p.plain.test(t) || p.grouped.test(t)) return { ok: true, value: toNumber(t, f) };
  if (q.plain.test(t) || q.grouped.test(t)) {
    return {
      ok: false,
      reason: `is written with a decimal ${seps[other].decimal === ',' ? 'comma' : 'point'}, but the number format is set to ${describeNumberFormat(f)}: write ${formatNumber(toNumber(t, other), f)} or change the setting`,
    };
  }
  return { ok: false, reason: 'is not a number' };
}

/** Write a number in format `f` without grouping (what parseNumber reads back exactly). */
export function formatNumber(v: number, f: NumberFormat): string {
  const s = String(v);
  return f === 'comma' ? s.replace('.', ',') : s;
}
