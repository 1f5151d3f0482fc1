import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldSpec } from './field-spec';
import { validate } from './fields';
import { fieldInUnit, findUnit, fromModelUnit, toModelUnit } from './units';

const creatinine: FieldSpec = {
  name: 'serum_creatinine',
  label: 'Serum creatinine',
  unit: 'mg/dL',
  kind: 'number',
  min: 0.1,
  max: 30,
  help: '',
  units: [{ id: 'umol/L', label: 'µmol/L', factor: 88.42, columnSuffix: 'umol_l' }],
};

describe('units', () => {
  const umol = findUnit(creatinine, 'umol/L');

  it('converts both ways, exactly at the limits', () => {
    expect(fromModelUnit(1, umol)).toBe(88.42);
    expect(toModelUnit(88.42, umol)).toBe(1);
    expect(fromModelUnit(0.1, umol)).toBe(8.842);
    expect(fromModelUnit(30, umol)).toBe(2652.6);
    expect(toModelUnit(8.842, umol)).toBe(0.1);
    expect(toModelUnit(2652.6, umol)).toBe(30);
  });

  it('moves limits and messages with the unit', () => {
    const f = fieldInUnit(creatinine, umol);
    expect([f.unit, f.min, f.max]).toEqual(['µmol/L', 8.842, 2652.6]);
    expect(validate([f], { serum_creatinine: 3000 })).toEqual({
      ok: false,
      errors: [{ field: 'serum_creatinine', message: 'Serum creatinine must be at most 2,652.6 µmol/L' }],
    });
    expect(validate([f], { serum_creatinine: 88 }).ok).toBe(true);
  });

  it('falls back to the model unit for an unknown id', () => {
    expect(findUnit(creatinine, 'furlongs').id).toBe('mg/dL');
    expect(fieldInUnit(creatinine, findUnit(creatinine, undefined))).toBe(creatinine);
  });

  it('round-trips any value within 1e-9 relative (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 30, noNaN: true }), (v) => Math.abs(toModelUnit(fromModelUnit(v, umol), umol) - v) <= 1e-9 * v),
      { numRuns: 5000 },
    );
  });
});
