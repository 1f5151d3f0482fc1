import { describe, expect, it } from 'vitest';
import { formatLimit, type FieldSpec } from './field-spec';

const creatinine = { name: 'serum_creatinine', label: 'Serum creatinine', kind: 'number', unit: 'µmol/L', min: 8.842, max: 2652.6 } as FieldSpec;

describe('formatLimit', () => {
  it('writes a limit in each number format, the same as toLocaleString, whichever format came first', () => {
    for (const [format, locale] of [
      ['comma', 'de-DE'],
      ['point', 'en-US'],
      ['comma', 'de-DE'],
    ] as const) {
      for (const v of [2652.6, 8.842, 200000, 0.000123, -50, 1234567.891234]) {
        expect(formatLimit({ ...creatinine, unit: '' }, v, format)).toBe(v.toLocaleString(locale, { maximumFractionDigits: 6 }));
      }
    }
    expect(formatLimit(creatinine, 2652.6, 'comma')).toBe('2.652,6 µmol/L');
    expect(formatLimit(creatinine, 2652.6)).toBe('2,652.6 µmol/L');
  });
});
