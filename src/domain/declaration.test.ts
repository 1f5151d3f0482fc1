import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDeclaration, toDomainSpec } from './declaration';
import { inputsRead, riskBand } from './domain-spec';
import { getDomain } from './domains';

const heartJson = JSON.parse(readFileSync(new URL('../../domains/heart.json', import.meta.url), 'utf8')) as Record<string, unknown>;

/** Just the keys the refusal cases change. */
interface Decl {
  fields: { units?: unknown }[];
  model_reads?: unknown;
  models: { reads?: unknown }[];
  outcome: { risk_bands: { from: number }[] };
}

describe('declaration: units, outcome, inputs read', () => {
  const heart = getDomain('heart');

  it('reads the declared alternative units, with their CSV suffixes', () => {
    const units = (name: string) => heart.fields.find((f) => f.name === name)!.units;
    expect(units('serum_creatinine')).toEqual([{ id: 'umol/L', label: 'µmol/L', factor: 88.42, columnSuffix: 'umol_l' }]);
    expect(units('platelets')!.map((u) => [u.label, u.factor, u.columnSuffix])).toEqual([
      ['×10⁹/L', 0.001, '10e9_l'],
      ['×10³/µL', 0.001, '10e3_ul'],
    ]);
    expect(units('serum_sodium')!.map((u) => [u.id, u.factor])).toEqual([['mmol/L', 1]]);
    expect(units('age')).toBeUndefined();
  });

  it('gives the outcome in words and the band of a probability', () => {
    expect(heart.outcome?.positive).toMatch(/about 4 months/);
    expect(riskBand(heart.outcome, 0.05)?.label).toBe('low');
    expect(riskBand(heart.outcome, 0.15)?.label).toBe('intermediate');
    expect(riskBand(heart.outcome, 0.9)?.label).toBe('high');
    expect(riskBand(null, 0.9)).toBeNull();
  });

  it('knows which inputs a model reads', () => {
    expect(inputsRead(heart, 'heart-baseline', ['age', 'sex'])).toEqual(['age', 'ejection_fraction', 'serum_creatinine']);
    expect(inputsRead(heart, 'heart-lr', ['age', 'sex'])).toEqual(['age', 'sex']);
  });

  it('keeps the seed sample out of the clinician examples, and no example sets follow-up time', () => {
    expect(heart.presets.map((p) => p.id)).toEqual(['stable-outpatient', 'renal-low-ef']);
    for (const p of heart.presets) expect(p.values.time).toBeUndefined();
    expect(heart.seedSampleLabel).toMatch(/replaced service/);
  });

  it.each([
    [
      'a unit repeating the field unit',
      (d: Decl) => (d.fields[7]!.units = [{ id: 'mg/dL', label: 'mg/dL', factor: 1 }]),
      /repeats the field's own unit/,
    ],
    ['a zero factor', (d: Decl) => (d.fields[7]!.units = [{ id: 'x', label: 'x', factor: 0 }]), /fields\.7\.units\.0\.factor/],
    // Reads sit in each model's entry now: the old top-level place is refused, naming what it lists.
    ['reads at the top level (their old place)', (d: Decl) => (d.model_reads = { nope: ['age'] }), /model_reads names "nope"/],
    ['reads of a field not taken', (d: Decl) => (d.models[0]!.reads = ['time']), /does not take "time"/],
    ['bands not from 0', (d: Decl) => (d.outcome.risk_bands[0]!.from = 0.1), /must start at 0/],
  ])('refuses %s, naming it', (_what, change, message) => {
    const d = structuredClone(heartJson) as unknown as Decl;
    change(d);
    expect(() => toDomainSpec(parseDeclaration(d, 'heart.json'))).toThrow(message);
  });
});
