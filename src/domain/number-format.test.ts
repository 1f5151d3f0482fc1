import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFromLocale, formatNumber, parseNumber, type NumberFormat } from './number-format';

const value = (r: ReturnType<typeof parseNumber>) => (r.ok ? r.value : r.reason);

describe('number formats', () => {
  it.each([
    ['1.4', 'point', 1.4],
    ['1,4', 'comma', 1.4],
    ['-0,25', 'comma', -0.25],
    ['263000', 'comma', 263000],
    ['1,234,567', 'point', 1234567],
    ['1.234.567', 'comma', 1234567],
    ['1,234.5', 'point', 1234.5],
    ['1.234,5', 'comma', 1234.5],
    ['2e3', 'point', 2000],
    ['.5', 'point', 0.5],
    [',5', 'comma', 0.5],
  ] as const)('%s with a decimal %s is %d', (text, f, v) => {
    expect(value(parseNumber(text, f))).toBe(v);
  });

  it('never reads 1,9 as 19: with a decimal point it is refused, naming the setting', () => {
    const r = parseNumber('1,9', 'point');
    expect(r.ok).toBe(false);
    expect(value(r)).toBe(
      'is written with a decimal comma, but the number format is set to decimal point (1,234.5): write 1.9 or change the setting',
    );
    expect(value(parseNumber('1,9', 'comma'))).toBe(1.9);
  });

  it('refuses a thousands separator that could be read two ways', () => {
    expect(value(parseNumber('1,234', 'point'))).toMatch(/^could be read two ways \(1234 or 1\.234\); the number format is set to decimal point/);
    expect(value(parseNumber('1.234', 'comma'))).toMatch(/^could be read two ways \(1234 or 1\.234\); the number format is set to decimal comma/);
  });

  it('refuses what is not plain decimal notation', () => {
    for (const t of ['0x10', 'abc', '1..2', '1,2,3', '1 2', 'Infinity', 'NaN', '']) {
      expect(parseNumber(t, 'point').ok, t).toBe(false);
      expect(parseNumber(t, 'comma').ok, t).toBe(false);
    }
  });

  it('reads back what it writes, in both formats (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }),
        fc.constantFrom<NumberFormat>('point', 'comma'),
        (v, f) => {
          const r = parseNumber(formatNumber(v, f), f);
          return r.ok && r.value === v;
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('never reads a string as a number that the other format would read differently (property)', () => {
    const chars = fc.constantFrom('0', '1', '2', '5', '9', ',', '.', '-', 'e');
    fc.assert(
      fc.property(
        fc.array(chars, { minLength: 1, maxLength: 9 }).map((a) => a.join('')),
        (t) => {
          const a = parseNumber(t, 'point');
          const b = parseNumber(t, 'comma');
          // Accepted in both formats means the same number in both.
          return !(a.ok && b.ok) || a.value === b.value;
        },
      ),
      { numRuns: 10000 },
    );
  });

  it('follows the browser locale', () => {
    expect(formatFromLocale('de-DE')).toBe('comma');
    expect(formatFromLocale('fr-FR')).toBe('comma');
    expect(formatFromLocale('en-US')).toBe('point');
    expect(formatFromLocale('en-GB')).toBe('point');
  });
});
