import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getDomain } from './domains';
import { parseFormInput } from './form-input';
import { shownFields, toFormText, type InputSettings } from './form-text';

const heart = getDomain('heart');
const point: InputSettings = { format: 'point', units: {} };
const comma: InputSettings = { format: 'comma', units: {} };
const european: InputSettings = { format: 'comma', units: { serum_creatinine: 'umol/L', platelets: '10^9/L' } };

describe('form input: formats and units', () => {
  it('reads a decimal comma with the comma format, and only then', () => {
    expect(parseFormInput(heart.fields, { serum_creatinine: '1,4' }, comma)).toEqual({ ok: true, values: { serum_creatinine: 1.4 } });
    const r = parseFormInput(heart.fields, { serum_creatinine: '1,4' }, point);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.message).toMatch(/^Serum creatinine 1,4 is written with a decimal comma.*number format is set to decimal point/);
  });

  it('never reads 1,9 as 19 in either format', () => {
    const a = parseFormInput(heart.fields, { age: '1,9' }, point);
    expect(a.ok).toBe(false);
    const b = parseFormInput(heart.fields, { serum_creatinine: '1,9' }, comma);
    expect(b).toEqual({ ok: true, values: { serum_creatinine: 1.9 } });
  });

  it('refuses a value readable two ways, naming the setting', () => {
    const r = parseFormInput(heart.fields, { platelets: '263.000' }, european);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual([{ field: 'platelets', message: expect.stringMatching(/could be read two ways.*decimal comma/) }]);
  });

  it('converts chosen units to the model units: 88.42 µmol/L is 1 mg/dL, 263 ×10⁹/L is 263000', () => {
    expect(parseFormInput(heart.fields, { serum_creatinine: '88,42', platelets: '263' }, european)).toEqual({
      ok: true,
      values: { serum_creatinine: 1, platelets: 263000 },
    });
  });

  it('checks limits in the chosen unit and says them in it, in the chosen format', () => {
    const shown = shownFields(heart.fields, european.units).find((f) => f.name === 'serum_creatinine')!;
    expect([shown.unit, shown.min, shown.max]).toEqual(['µmol/L', 8.842, 2652.6]);
    const r = parseFormInput(heart.fields, { serum_creatinine: '5000' }, european);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.message).toBe('Serum creatinine must be at most 2.652,6 µmol/L');
  });

  it('leaves every field optional, but a filled one must be valid', () => {
    expect(parseFormInput(heart.fields, { age: '', ejection_fraction: ' ' }, point)).toEqual({ ok: true, values: {} });
    const r = parseFormInput(heart.fields, { age: 'abc', ejection_fraction: '101' }, point);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors).toEqual([
        { field: 'age', message: 'Age must be a number' },
        { field: 'ejection_fraction', message: 'Ejection fraction must be at most 100 %' },
      ]);
  });

  it('writes model values in the chosen unit and format, and reads them back unchanged', () => {
    const preset = heart.presets[0]!.values;
    const text = toFormText(heart.fields, preset, european);
    expect(text.serum_creatinine).toBe('79,578');
    expect(text.platelets).toBe('270');
    expect(parseFormInput(heart.fields, text, european)).toEqual({ ok: true, values: preset });
  });

  it('round-trips any creatinine in any unit and format (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 3000 }).map((x) => x / 100),
        fc.constantFrom<InputSettings>(point, comma, european),
        (v, settings) => {
          const text = toFormText(heart.fields, { serum_creatinine: v }, settings);
          expect(parseFormInput(heart.fields, text, settings)).toEqual({ ok: true, values: { serum_creatinine: v } });
        },
      ),
    );
  });
});
