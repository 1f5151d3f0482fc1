import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDeclaration } from '../declaration';
import { getDomain } from '../domains';

const heartJson = JSON.parse(readFileSync(new URL('../../../domains/heart.json', import.meta.url), 'utf8')) as {
  fields: { name: string; fhir?: Record<string, unknown> }[];
};
const withField = (name: string, fhir: Record<string, unknown>) => {
  const d = structuredClone(heartJson);
  d.fields.find((f) => f.name === name)!.fhir = fhir;
  return d;
};

describe('the FHIR mapping declared beside each field', () => {
  it('maps every heart field a record can give, and names the source of each code list', () => {
    const heart = getDomain('heart');
    const mapped = heart.fields.filter((f) => f.fhir).map((f) => f.name);
    expect(mapped).toEqual(heart.fields.map((f) => f.name).filter((n) => n !== 'time'));
    for (const f of heart.fields) {
      if (f.fhir?.from === 'condition') for (const l of f.fhir.codes) expect(l.source.length, `${f.name} ${l.system}`).toBeGreaterThan(20);
      if (f.fhir?.from === 'observation') expect(f.fhir.source).not.toBe('');
    }
  });

  it('refuses a UCUM unit mapped to a unit the field does not declare', () => {
    const d = withField('serum_creatinine', {
      from: 'observation',
      loinc: [{ code: '2160-0', display: 'x' }],
      units: { 'mmol/L': 'mmol/L' },
      source: 'LOINC',
    });
    expect(() => parseDeclaration(d, 'heart.json')).toThrow(
      /fhir unit "mmol\/L" maps to "mmol\/L", which is not one of its units \(mg\/dL, umol\/L\)/,
    );
  });

  it('refuses an observation mapping with neither units nor answers, and a malformed LOINC code', () => {
    expect(() =>
      parseDeclaration(withField('serum_sodium', { from: 'observation', loinc: [{ code: '2951-2', display: 'x' }], source: 'LOINC' }), 'h'),
    ).toThrow(/either "units" .* or "answers"/);
    expect(() =>
      parseDeclaration(
        withField('serum_sodium', { from: 'observation', loinc: [{ code: 'sodium', display: 'x' }], units: {}, source: 'LOINC' }),
        'h',
      ),
    ).toThrow(/fields\.\d+\.fhir\.loinc/);
  });
});
