import { describe, expect, it } from 'vitest';
import { getDomain } from './domains';
import { validate } from './fields';
import { toVector } from './to-vector';

const { fields: heartFields, seed: heartSeed } = getDomain('heart');
const { fields: deviceFields, presets: devicePresets } = getDomain('device');

const seed = heartSeed!.sampleRequest;

describe('heart schema', () => {
  it('accepts the replaced service sample request', () => {
    const r = validate(heartFields, seed, { strict: true });
    expect(r).toEqual({ ok: true, values: seed });
  });

  it.each([
    ['ejection_fraction', 101, 'Ejection fraction must be at most 100 %'],
    ['ejection_fraction', 35.5, 'Ejection fraction must be a whole number'],
    ['serum_sodium', 0, 'Serum sodium must be at least 90 mEq/L'],
    ['creatinine_phosphokinase', -3, 'Creatinine phosphokinase (CPK) must be at least 0 mcg/L'],
    ['anaemia', 2, 'Anaemia must be 0 (no) or 1 (yes)'],
    ['sex', 0.5, 'Sex must be 0 (woman) or 1 (man)'],
    ['age', 'abc', 'Age must be a number'],
    ['age', '', 'Age is required'],
    ['platelets', '0x10', 'Platelets must be a number'],
  ])('rejects %s = %j with a message naming field and limit', (field, value, message) => {
    const r = validate(heartFields, { ...seed, [field]: value });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual([{ field, message }]);
  });

  it('coerces numeric strings (CSV cells, form inputs)', () => {
    const strings = Object.fromEntries(Object.entries(seed).map(([k, v]) => [k, ` ${v} `]));
    expect(validate(heartFields, strings)).toEqual({ ok: true, values: seed });
  });

  it('names unknown fields in strict mode and every missing field', () => {
    const { time: _t, ...rest } = seed;
    const r = validate(heartFields, { ...rest, weight: 70 }, { strict: true });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors).toContainEqual({ field: 'time', message: 'Follow-up period is required' });
      expect(r.errors).toContainEqual({ field: 'weight', message: 'Unknown field: weight' });
    }
  });
});

describe('optional fields', () => {
  it('treat a blank input as absent, but still check a value', () => {
    const opt = { strict: false, optional: ['time'] };
    const r = validate(heartFields, { ...seed, time: '' }, opt);
    expect(r.ok && 'time' in r.values).toBe(false);
    expect(validate(heartFields, { ...seed, time: '-1' }, opt).ok).toBe(false);
  });
});

describe('device schema', () => {
  it('accepts the presets and rejects negative counters', () => {
    for (const p of devicePresets) expect(validate(deviceFields, p.values).ok).toBe(true);
    const r = validate(deviceFields, { ...devicePresets[0]!.values, metric4: -1 });
    expect(r.ok).toBe(false);
  });
});

describe('toVector', () => {
  it('orders values as the manifest says, not as the object does', () => {
    const v = toVector({ b: 2, a: 1.5 }, ['a', 'b']);
    expect(Array.from(v)).toEqual([1.5, 2]);
  });
  it('writes into a shared buffer at an offset', () => {
    const buf = new Float32Array(4);
    toVector({ a: 1, b: 2 }, ['a', 'b'], buf, 2);
    expect(Array.from(buf)).toEqual([0, 0, 1, 2]);
  });
  it('refuses a missing feature', () => {
    expect(() => toVector({ a: 1 }, ['a', 'b'])).toThrow('Missing value for model input "b"');
  });
});
